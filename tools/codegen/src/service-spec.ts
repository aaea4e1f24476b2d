/** Which models are generated, from which files, into which folder of `packages/api/src/generated/`. */
export interface ServiceSpec {
  /** Folder name and identifier prefix (`kinesis` -> `kinesisShapes`, `KinesisOperationName`). */
  readonly name: string;
  readonly modelPath: string;
  readonly patchPath?: string;
  readonly validationOrderPath?: string;
  /** Java package of AWS's model classes, shown in `toString()` renderings inside validation messages. */
  readonly defaultJavaPackage: string;
  /**
   * The Smithy namespace of the service's shapes, for services with the awsQueryCompatible trait: their JSON 1.0
   * and rpc-v2-cbor errors name the shape by its absolute id (`com.amazonaws.cloudwatch#InvalidParameterValueException`)
   * while the query protocol and the `x-amzn-query-error` header carry the awsQueryError code. botocore's model has
   * no namespace; this one is the SDK's (`defaultNamespace` in @aws-sdk/client-cloudwatch's runtime config).
   */
  readonly smithyNamespace?: string;
}

export const serviceSpecs: readonly ServiceSpec[] = [
  {
    name: 'kinesis',
    modelPath: 'model/kinesis/2013-12-02/service-2.json',
    patchPath: 'model/patches/kinesis.json',
    validationOrderPath: 'model/validation-order/kinesis.json',
    defaultJavaPackage: 'com.amazonaws.kinesis.v20131202',
  },
  {
    name: 'firehose',
    modelPath: 'model/firehose/2015-08-04/service-2.json',
    defaultJavaPackage: 'com.amazonaws.firehose.v20150804',
  },
  {
    name: 'cloudwatch',
    modelPath: 'model/cloudwatch/2010-08-01/service-2.json',
    validationOrderPath: 'model/validation-order/cloudwatch.json',
    defaultJavaPackage: 'com.amazonaws.monitoring.v20100801',
    smithyNamespace: 'com.amazonaws.cloudwatch',
  },
];
