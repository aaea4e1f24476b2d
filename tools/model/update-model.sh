#!/usr/bin/env bash
# Re-copies the vendored AWS models from the machine's botocore (see model/README.md).
# Usage: tools/model/update-model.sh  (needs python3 with botocore installed)
set -euo pipefail
cd "$(dirname "$0")/../.."
botocore_dir=$(python3 -c "import botocore, os; print(os.path.dirname(botocore.__file__))")
version=$(python3 -c "import botocore; print(botocore.__version__)")
dist_info="$botocore_dir/../botocore-$version.dist-info"
for model in kinesis/2013-12-02 firehose/2015-08-04 cloudwatch/2010-08-01; do
  mkdir -p "model/$model"
  gunzip -c "$botocore_dir/data/$model/service-2.json.gz" > "model/$model/service-2.json"
  cp "$botocore_dir/data/$model/paginators-1.json" "model/$model/"
  [ -f "$botocore_dir/data/$model/waiters-2.json" ] && cp "$botocore_dir/data/$model/waiters-2.json" "model/$model/"
done
cp "$dist_info/LICENSE.txt" model/LICENSE.txt
cp "$dist_info/NOTICE" model/NOTICE
echo "botocore $version"
sha256sum model/kinesis/2013-12-02/service-2.json model/firehose/2015-08-04/service-2.json model/cloudwatch/2010-08-01/service-2.json
