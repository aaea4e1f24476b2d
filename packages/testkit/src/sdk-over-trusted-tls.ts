import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The workspace root, where `@aws-sdk/client-kinesis` resolves from. */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The unmodified SDK (its default HTTP/2 handler) in a child process that trusts `caFile` through
 * NODE_EXTRA_CA_CERTS, as a user would: optionally creates a stream, then answers ListStreams' names.
 */
export async function listStreamsOverTrustedTls(endpoint: string, caFile: string, createStream?: string): Promise<string[]> {
  const script = `
    import { KinesisClient, CreateStreamCommand, ListStreamsCommand } from '@aws-sdk/client-kinesis';
    const client = new KinesisClient({ endpoint: ${JSON.stringify(endpoint)}, region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDRIFFLETEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
    const create = ${JSON.stringify(createStream ?? null)};
    if (create !== null) await client.send(new CreateStreamCommand({ StreamName: create, ShardCount: 1 }));
    const listed = await client.send(new ListStreamsCommand({}));
    client.destroy();
    process.stdout.write(JSON.stringify(listed.StreamNames));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as string[];
}
