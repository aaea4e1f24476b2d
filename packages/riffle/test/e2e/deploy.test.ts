import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamConsumerCommand, DescribeStreamSummaryCommand, GetResourcePolicyCommand,
  ListTagsForStreamCommand, UpdateAccountSettingsCommand, type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, riffleMain, startRiffle, type RiffleProcess } from '@riffle/testkit';

/** dist/test/e2e → the source tree's fixtures (tests read them where they are written). */
const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/deploy/${name}`, import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let riffle: RiffleProcess;
let client: KinesisClient;
let stateDir: string;
let work: string;

function deploy(args: readonly string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_REGION: 'us-east-1', RIFFLE_STATE_DIR: stateDir };
  delete env.AWS_PROFILE;
  delete env.AWS_ENDPOINT_URL_KINESIS;
  return new Promise((resolve) => {
    execFile(process.execPath, [riffleMain, 'deploy', ...args, '--endpoint-url', riffle.endpoint], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const summary = async (name: string) => (await client.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!;
async function gone(name: string): Promise<boolean> {
  try {
    await summary(name);
    return false;
  } catch (error) {
    return (error as Error).name === 'ResourceNotFoundException';
  }
}
const exists = async (path: string): Promise<boolean> => access(path).then(() => true, () => false);
const writeTemplate = async (name: string, text: string): Promise<string> => {
  const path = join(work, name);
  await writeFile(path, text);
  return path;
};

before(async () => {
  riffle = await startRiffle();
  client = kinesisClient(riffle.endpoint, { maxAttempts: 3 });
  stateDir = await mkdtemp(join(tmpdir(), 'riffle-deploy-state-'));
  work = await mkdtemp(join(tmpdir(), 'riffle-deploy-templates-'));
});

after(async () => {
  client?.destroy();
  await riffle?.stop();
  await rm(stateDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('riffle deploy', () => {
  it('the lab\'s template: deployed, updated (shard count, retention), deleted', async () => {
    const template = fixture('lab-stream.yaml');
    const created = await deploy([template, '--stack-name', 'lab']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /CREATE_IN_PROGRESS\s+AWS::Kinesis::Stream\s+LabStream\s+\(lab-stream\)/);
    assert.match(created.stdout, /CREATE_COMPLETE\s+AWS::Kinesis::Stream\s+LabStream\s+\(lab-stream\)/);
    assert.match(created.stdout, /Outputs:\n {2}StreamName = lab-stream\n/);
    assert.match(created.stdout, / {2}StreamArn = arn:aws:kinesis:us-east-1:\d{12}:stream\/lab-stream\n {4}Description: The stream's ARN\n {4}Export: lab-StreamArn/);
    let stream = await summary('lab-stream');
    assert.equal(stream.OpenShardCount, 1);
    assert.equal(stream.StreamModeDetails?.StreamMode, 'PROVISIONED');
    assert.equal(stream.RetentionPeriodHours, 24);

    const updated = await deploy([template, '--stack-name', 'lab', '--parameter', 'ShardCount=2', '--parameter', 'RetentionPeriodHours=48']);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /UPDATE_COMPLETE\s+AWS::Kinesis::Stream\s+LabStream/);
    stream = await summary('lab-stream');
    assert.equal(stream.OpenShardCount, 2);
    assert.equal(stream.RetentionPeriodHours, 48);

    const state = join(stateDir, `${riffle.endpoint.replace('http://', '').replace(':', '_')}-us-east-1`, 'lab.json');
    assert.ok(await exists(state), 'the stack state is kept');
    const deleted = await deploy([template, '--stack-name', 'lab', '--delete']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /DELETE_COMPLETE\s+AWS::Kinesis::Stream\s+LabStream/);
    assert.ok(await gone('lab-stream'));
    assert.equal(await exists(state), false, 'the stack state is removed');
  });

  it('cdk synth output: its stream deployed, every other resource listed as skipped, outputs resolved or not available', async () => {
    const template = fixture('stream-data-processor.template.json');
    const declared = JSON.parse(await readFile(template, 'utf8')) as { Resources: Record<string, { Type: string }> };
    const run = await deploy([template, '--output', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { stackName: string; status: string; skipped: { logicalId: string; type: string }[]; outputs: { key: string; value: string | null; unavailable?: string }[] };
    assert.equal(result.stackName, 'stream-data-processor');
    assert.equal(result.status, 'CREATE_COMPLETE');
    const others = Object.entries(declared.Resources).filter(([, r]) => !r.Type.startsWith('AWS::Kinesis::'));
    assert.deepEqual(result.skipped.map((s) => `${s.type} ${s.logicalId}`).sort(), others.map(([id, r]) => `${r.Type} ${id}`).sort());
    for (const [id, resource] of others) assert.match(run.stderr, new RegExp(`SKIPPED\\s+${resource.Type}\\s+${id}\\s+\\(Riffle does not host ${resource.Type}\\)`));
    const stream = await summary('data_pipe');
    assert.equal(stream.OpenShardCount, 1);
    assert.equal(stream.EncryptionType, 'KMS', 'the Fn::If on the region\'s condition chose encryption');
    const outputs = new Map(result.outputs.map((o) => [o.key, o]));
    assert.equal(outputs.get('StreamName')!.value, 'data_pipe');
    assert.equal(outputs.get('StreamArn')!.value, stream.StreamARN);
    assert.equal(outputs.get('PythonConsumer')!.value, null);
    assert.match(outputs.get('PythonConsumer')!.unavailable!, /AWS::Lambda::Function/);
    assert.match(outputs.get('DashboardUrl')!.value!, /region=us-east-1#dashboards:name=stream-processor$/);

    const deleted = await deploy([template, '--delete']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.ok(await gone('data_pipe'));
  });

  it('every AWS::Kinesis::Stream property applied on create and changed on update', async () => {
    await client.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }));
    const path = await writeTemplate('props.yaml', `Resources:
  Full:
    Type: AWS::Kinesis::Stream
    Properties:
      Name: full-props
      ShardCount: 2
      StreamModeDetails: { StreamMode: PROVISIONED }
      RetentionPeriodHours: 36
      StreamEncryption: { EncryptionType: KMS, KeyId: alias/aws/kinesis }
      Tags: [{ Key: team, Value: data }, { Key: env, Value: test }]
      DesiredShardLevelMetrics: [IncomingBytes, OutgoingRecords]
      MaxRecordSizeInKiB: 2048
`);
    const created = await deploy([path]);
    assert.equal(created.code, 0, created.stderr);
    let stream = await summary('full-props');
    assert.equal(stream.OpenShardCount, 2);
    assert.equal(stream.RetentionPeriodHours, 36);
    assert.equal(stream.EncryptionType, 'KMS');
    assert.equal(stream.KeyId, 'alias/aws/kinesis');
    assert.deepEqual([...(stream.EnhancedMonitoring?.[0]?.ShardLevelMetrics ?? [])].sort(), ['IncomingBytes', 'OutgoingRecords']);
    assert.equal(stream.MaxRecordSizeInKiB, 2048);
    const tags = async () => Object.fromEntries(((await client.send(new ListTagsForStreamCommand({ StreamName: 'full-props' }))).Tags ?? []).map((t) => [t.Key, t.Value]));
    assert.deepEqual(await tags(), { team: 'data', env: 'test' });

    await writeTemplate('props.yaml', `Resources:
  Full:
    Type: AWS::Kinesis::Stream
    Properties:
      Name: full-props
      StreamModeDetails: { StreamMode: ON_DEMAND }
      RetentionPeriodHours: 24
      Tags: [{ Key: team, Value: platform }, { Key: cost, Value: low }]
      DesiredShardLevelMetrics: [ALL]
      MaxRecordSizeInKiB: 4096
      WarmThroughputMiBps: 10
      RecordDistributionStrategy: AUTO
`);
    const updated = await deploy([path]);
    assert.equal(updated.code, 0, updated.stderr);
    stream = await summary('full-props');
    assert.equal(stream.StreamModeDetails?.StreamMode, 'ON_DEMAND');
    assert.equal(stream.RetentionPeriodHours, 24);
    assert.equal(stream.EncryptionType, 'NONE', 'removing StreamEncryption stops encryption');
    assert.equal(stream.EnhancedMonitoring?.[0]?.ShardLevelMetrics?.length, 7);
    assert.equal(stream.MaxRecordSizeInKiB, 4096);
    assert.equal(stream.WarmThroughput?.TargetMiBps, 10);
    assert.equal(stream.RecordDistributionStrategy, 'AUTO');
    assert.deepEqual(await tags(), { team: 'platform', cost: 'low' });
    assert.equal((await deploy([path, '--delete'])).code, 0);
    await client.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'DISABLED' } })).catch(() => undefined);
  });

  it('StreamConsumer and ResourcePolicy created, updated (the consumer replaced), deleted; GetAtt and Outputs resolved', async () => {
    const template = (consumerName: string, action: string) => `Resources:
  Feed:
    Type: AWS::Kinesis::Stream
    Properties: { Name: efo-feed, ShardCount: 1 }
  Reader:
    Type: AWS::Kinesis::StreamConsumer
    Properties:
      StreamARN: !GetAtt Feed.Arn
      ConsumerName: ${consumerName}
  FeedPolicy:
    Type: AWS::Kinesis::ResourcePolicy
    Properties:
      ResourceArn: !GetAtt Feed.Arn
      ResourcePolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root" }
            Action: [${action}]
            Resource: !GetAtt Feed.Arn
Outputs:
  ReaderArn: { Value: !Ref Reader }
  ReaderStatus: { Value: !GetAtt Reader.ConsumerStatus }
  ReaderStream: { Value: !GetAtt Reader.StreamARN }
`;
    const path = await writeTemplate('efo.yaml', template('reader-one', 'kinesis:GetRecords'));
    const created = await deploy([path, '--output', 'json']);
    assert.equal(created.code, 0, created.stderr);
    const outputs = (run: Run) => new Map((JSON.parse(run.stdout) as { outputs: { key: string; value: string }[] }).outputs.map((o) => [o.key, o.value]));
    const streamArn = (await summary('efo-feed')).StreamARN!;
    const first = outputs(created);
    assert.match(first.get('ReaderArn')!, new RegExp(`^${streamArn.replace(/[/.]/g, '\\$&')}/consumer/reader-one:\\d+$`));
    assert.equal(first.get('ReaderStatus'), 'ACTIVE');
    assert.equal(first.get('ReaderStream'), streamArn);
    const consumer = await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: first.get('ReaderArn')! }));
    assert.equal(consumer.ConsumerDescription?.ConsumerStatus, 'ACTIVE');
    const policy = async () => JSON.parse((await client.send(new GetResourcePolicyCommand({ ResourceARN: streamArn }))).Policy ?? '{}') as { Statement?: { Action: string[]; Principal: { AWS: string } }[] };
    assert.deepEqual((await policy()).Statement?.[0]?.Action, ['kinesis:GetRecords']);
    assert.match((await policy()).Statement![0]!.Principal.AWS, /^arn:aws:iam::\d{12}:root$/);

    await writeTemplate('efo.yaml', template('reader-two', 'kinesis:GetRecords, kinesis:GetShardIterator'));
    const updated = await deploy([path, '--output', 'json']);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stderr, /UPDATE_IN_PROGRESS\s+AWS::Kinesis::StreamConsumer\s+Reader\s+\(Requested update requires the creation of a new physical resource; hence creating one\.\)/);
    const second = outputs(updated);
    assert.match(second.get('ReaderArn')!, /\/consumer\/reader-two:\d+$/);
    await assert.rejects(client.send(new DescribeStreamConsumerCommand({ ConsumerARN: first.get('ReaderArn')! })), { name: 'ResourceNotFoundException' });
    assert.equal((await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: second.get('ReaderArn')! }))).ConsumerDescription?.ConsumerStatus, 'ACTIVE');
    assert.deepEqual((await policy()).Statement?.[0]?.Action, ['kinesis:GetRecords', 'kinesis:GetShardIterator']);

    await writeTemplate('efo.yaml', template('reader-two', 'kinesis:GetRecords, kinesis:GetShardIterator').replace(/ {2}FeedPolicy:[\s\S]*?(?=Outputs:)/, ''));
    const withoutPolicy = await deploy([path]);
    assert.equal(withoutPolicy.code, 0, withoutPolicy.stderr);
    assert.match(withoutPolicy.stdout, /DELETE_COMPLETE\s+AWS::Kinesis::ResourcePolicy\s+FeedPolicy/);
    assert.deepEqual(await policy(), {}, 'a resource removed from the template is deleted');

    const deleted = await deploy([path, '--delete']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.ok(deleted.stdout.indexOf('DELETE_COMPLETE       AWS::Kinesis::StreamConsumer') < deleted.stdout.indexOf('DELETE_COMPLETE       AWS::Kinesis::Stream '), 'the consumer before its stream');
    await assert.rejects(client.send(new DescribeStreamConsumerCommand({ ConsumerARN: second.get('ReaderArn')! })), { name: 'ResourceNotFoundException' });
    assert.ok(await gone('efo-feed'));
  });

  it('a malformed template: exit 2, FILE:LINE:COL on stderr, nothing created', async () => {
    const yamlError = await writeTemplate('broken.yaml', 'Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: a: b\n');
    let run = await deploy([yamlError]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`^riffle deploy: ${yamlError.replace(/[/.]/g, '\\$&')}:5:13: Template format error: YAML not well-formed`, 'm'));
    const range = await writeTemplate('range.yaml', 'Resources:\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: never-made\n      ShardCount: 0\n');
    run = await deploy([range]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /range\.yaml:6:19: Properties validation failed for resource S with message: #\/ShardCount: 0 is not greater or equal to 1/);
    assert.ok(await gone('never-made'));
    const needsSkipped = await writeTemplate('needs-lambda.yaml', 'Resources:\n  Fn: { Type: AWS::Lambda::Function }\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: !Ref Fn\n      ShardCount: 1\n');
    run = await deploy([needsSkipped]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /needs-lambda\.yaml:6:18: AWS::Kinesis::Stream S needs Ref of Fn \(AWS::Lambda::Function\), which Riffle does not host/);
  });

  it('a resource removed from the template is deleted on the next deploy; one gone from the server is created again', async () => {
    const two = 'Resources:\n  Keep: { Type: AWS::Kinesis::Stream, Properties: { Name: keep-me, ShardCount: 1 } }\n  Drop: { Type: AWS::Kinesis::Stream, Properties: { Name: drop-me, ShardCount: 1 } }\n';
    const path = await writeTemplate('shrink.yaml', two);
    assert.equal((await deploy([path])).code, 0);
    assert.equal((await summary('drop-me')).StreamStatus, 'ACTIVE');
    await writeTemplate('shrink.yaml', two.replace(/ {2}Drop:.*\n/, ''));
    const shrunk = await deploy([path]);
    assert.equal(shrunk.code, 0, shrunk.stderr);
    assert.match(shrunk.stdout, /DELETE_COMPLETE\s+AWS::Kinesis::Stream\s+Drop\s+\(drop-me\)/);
    assert.ok(await gone('drop-me'));
    assert.equal((await summary('keep-me')).StreamStatus, 'ACTIVE');

    await client.send(new DeleteStreamCommand({ StreamName: 'keep-me' }));
    for (let i = 0; i < 100 && !(await gone('keep-me')); i++) await new Promise((r) => setTimeout(r, 50));
    const again = await deploy([path]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /CREATE_IN_PROGRESS\s+AWS::Kinesis::Stream\s+Keep\s+\(keep-me is gone from the server: creating it again\)/);
    assert.equal((await summary('keep-me')).StreamStatus, 'ACTIVE');
    assert.equal((await deploy([path, '--delete'])).code, 0);
  });

  it('--dry-run changes nothing; --delete with no state deletes the streams the template names, and says so', async () => {
    const path = await writeTemplate('orphan.yaml', 'Resources:\n  S: { Type: AWS::Kinesis::Stream, Properties: { Name: orphan-stream, ShardCount: 1 } }\n');
    const dry = await deploy([path, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /WOULD_CREATE\s+AWS::Kinesis::Stream\s+S\s+\(orphan-stream\)/);
    assert.ok(await gone('orphan-stream'));
    await client.send(new CreateStreamCommand({ StreamName: 'orphan-stream', ShardCount: 1 }));
    for (let i = 0; i < 100 && (await summary('orphan-stream')).StreamStatus !== 'ACTIVE'; i++) await new Promise((r) => setTimeout(r, 50));
    const run = await deploy([path, '--delete']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /no state for stack orphan at .*orphan\.json: deleting the resources the template names/);
    assert.match(run.stdout, /DELETE_COMPLETE\s+AWS::Kinesis::Stream\s+S\s+\(orphan-stream\)/);
    assert.ok(await gone('orphan-stream'));
  });

  it('a stream that exists outside the stack: CloudFormation\'s "already exists", and what the run created is rolled back', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'taken', ShardCount: 1 }));
    const path = await writeTemplate('clash.yaml', `Resources:
  First: { Type: AWS::Kinesis::Stream, Properties: { Name: first-of-two, ShardCount: 1 } }
  Second:
    Type: AWS::Kinesis::Stream
    DependsOn: First
    Properties: { Name: taken, ShardCount: 1 }
`);
    const run = await deploy([path]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /CREATE_FAILED\s+AWS::Kinesis::Stream\s+Second\s+\(Resource of type 'AWS::Kinesis::Stream' with identifier 'taken' already exists\.\)/);
    assert.match(run.stdout, /ROLLBACK_COMPLETE\s+AWS::CloudFormation::Stack\s+clash/);
    assert.match(run.stderr, /riffle deploy: Resource of type 'AWS::Kinesis::Stream' with identifier 'taken' already exists\./);
    assert.ok(await gone('first-of-two'), 'the stream this run created is deleted again');
    assert.equal((await summary('taken')).StreamStatus, 'ACTIVE', 'the stream the stack does not own is left alone');
    const state = join(stateDir, `${riffle.endpoint.replace('http://', '').replace(':', '_')}-us-east-1`, 'clash.json');
    assert.equal(await exists(state), false);
  });

  it('a stream whose create fails after CreateStream (a retention Kinesis refuses) is deleted in the rollback', async () => {
    const path = await writeTemplate('short-retention.yaml', 'Resources:\n  S: { Type: AWS::Kinesis::Stream, Properties: { Name: short-retention, ShardCount: 1, RetentionPeriodHours: 12 } }\n');
    const run = await deploy([path]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /CREATE_FAILED\s+AWS::Kinesis::Stream\s+S\s+\(InvalidArgumentException: /);
    assert.match(run.stdout, /ROLLBACK_COMPLETE\s+AWS::CloudFormation::Stack\s+short-retention/);
    assert.ok(await gone('short-retention'), 'the half-created stream is not left behind');
    const fixed = await deploy([await writeTemplate('short-retention.yaml', 'Resources:\n  S: { Type: AWS::Kinesis::Stream, Properties: { Name: short-retention, ShardCount: 1, RetentionPeriodHours: 48 } }\n')]);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  });

  it('an update that fails half-way is rolled back on the server too: the stream is as the stack state says', async () => {
    const template = (mode: string, shards: number) => `Resources:\n  S: { Type: AWS::Kinesis::Stream, Properties: { Name: half-way, ShardCount: ${shards}, StreamModeDetails: { StreamMode: ${mode} } } }\n`;
    const path = join(work, 'half-way.yaml');
    await writeFile(path, template('ON_DEMAND', 1));
    assert.equal((await deploy([path])).code, 0);
    // PROVISIONED goes through (UpdateStreamMode), then UpdateShardCount is refused: more than double the open shards.
    await writeFile(path, template('PROVISIONED', 100));
    const failed = await deploy([path]);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /UPDATE_FAILED\s+AWS::Kinesis::Stream\s+S\s+\(LimitExceededException: /);
    assert.match(failed.stdout, /UPDATE_ROLLBACK_COMPLETE\s+AWS::CloudFormation::Stack\s+half-way/);
    assert.match(failed.stdout, /UPDATE_IN_PROGRESS\s+AWS::Kinesis::Stream\s+S\s+\(rolling back half-way\)/);
    assert.equal((await summary('half-way')).StreamModeDetails?.StreamMode, 'ON_DEMAND', 'the mode change of the failed update is undone');
  });
});
