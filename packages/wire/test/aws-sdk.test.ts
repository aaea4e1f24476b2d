import assert from 'node:assert/strict';
import { Agent as HttpsAgent } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DeleteStreamCommand,
  DescribeStreamCommand,
  KinesisClient,
  ListStreamsCommand,
  PutRecordCommand,
  ResourceNotFoundException,
  SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { createListener, type Listener } from '../src/listener.js';
import { ensureSelfSignedCertificate } from '../src/self-signed-certificate.js';
import { StubKinesisService } from './stub-kinesis-service.js';

type Transport = 'h2c' | 'http/1.1' | 'tls h2' | 'tls http/1.1';

function clientFor(transport: Transport, port: number): KinesisClient {
  const tls = transport.startsWith('tls');
  const endpoint = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const common = {
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIDSDK', secretAccessKey: 'secret' },
    maxAttempts: 1,
  };
  switch (transport) {
    case 'h2c':
      return new KinesisClient(common); // the SDK's default handler for Kinesis is NodeHttp2Handler
    case 'tls h2':
      return new KinesisClient({
        ...common,
        requestHandler: new NodeHttp2Handler({ nodeHttp2ConnectOptions: { rejectUnauthorized: false } }),
      });
    case 'http/1.1':
      return new KinesisClient({ ...common, requestHandler: new NodeHttpHandler() });
    case 'tls http/1.1':
      return new KinesisClient({
        ...common,
        requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsAgent({ rejectUnauthorized: false }) }),
      });
  }
}

describe('@aws-sdk/client-kinesis against the listener', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'riffle-wire-sdk-'));
  const service = new StubKinesisService();
  let listener: Listener;
  let port: number;

  before(async () => {
    listener = createListener({ services: [service], tls: await ensureSelfSignedCertificate(dir) });
    ({ port } = await listener.listen(0, '127.0.0.1'));
  });
  after(async () => {
    await listener.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const transport of ['h2c', 'http/1.1', 'tls h2', 'tls http/1.1'] as const) {
    describe(transport, () => {
      let client: KinesisClient;
      before(() => {
        client = clientFor(transport, port);
      });
      after(() => client.destroy());

      it('calls an operation and reads the JSON answer; the wire sees the SigV4 scope', async () => {
        const output = await client.send(new ListStreamsCommand({ Limit: 5 }));
        const httpVersion = transport.endsWith('h2') || transport === 'h2c' ? '2' : '1.1';
        assert.deepEqual(output.StreamNames, [`http/${httpVersion}`, 'key/AKIDSDK', 'region/eu-central-1', 'protocol/json']);
        assert.equal(output.HasMoreStreams, false);
        assert.match(output.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
      });

      it('sends blobs as base64 and handles an empty 200 body', async () => {
        const put = await client.send(
          new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new Uint8Array(1000).fill(9) }),
        );
        assert.equal(put.SequenceNumber, '1000');
        const deleted = await client.send(new DeleteStreamCommand({ StreamName: 's' }));
        assert.equal(deleted.$metadata.httpStatusCode, 200);
      });

      it('surfaces a ServiceError as the typed SDK exception', async () => {
        await assert.rejects(client.send(new DescribeStreamCommand({ StreamName: 'gone' })), (error: unknown) => {
          assert.ok(error instanceof ResourceNotFoundException);
          assert.equal(error.message, 'Stream gone under account 111122223333 not found.');
          assert.equal(error.$metadata.httpStatusCode, 400);
          return true;
        });
      });
    });
  }

  for (const transport of ['h2c', 'tls h2'] as const) {
    it(`streams SubscribeToShard events to the SDK over ${transport} and aborts the handler when the client stops`, async () => {
      const client = clientFor(transport, port);
      try {
        const aborted = service.abortedSubscriptions.length;
        const stop = new AbortController();
        const output = await client.send(
          new SubscribeToShardCommand({
            ConsumerARN: 'arn:aws:kinesis:eu-central-1:111122223333:stream/s/consumer/c:1',
            ShardId: 'shardId-000000000000',
            StartingPosition: { Type: 'LATEST' },
          }),
          { abortSignal: stop.signal },
        );
        const sequence: string[] = [];
        for await (const event of output.EventStream!) {
          if (event.SubscribeToShardEvent) sequence.push(event.SubscribeToShardEvent.ContinuationSequenceNumber!);
          if (sequence.length === 3) break;
        }
        assert.deepEqual(sequence, ['0', '1', '2']);
        stop.abort();
        // Bounded wait for the server to see the reset stream.
        for (let attempt = 0; attempt < 200 && service.abortedSubscriptions.length === aborted; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        assert.equal(service.abortedSubscriptions.length, aborted + 1);
      } finally {
        client.destroy();
      }
    });
  }
});
