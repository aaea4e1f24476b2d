import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeStreamSummaryCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient, runRiffleCommand, startRiffle, startRiffleCommand, type RiffleProcess } from '@riffle/testkit';

const repoRoot = new URL('../../../../../', import.meta.url);
const readmePath = new URL('README.md', repoRoot);
const execFileAsync = promisify(execFile);
const README_ENDPOINT = 'http://127.0.0.1:4567';
const COMMAND_TIMEOUT_MS = 60_000;

/** One step of the README's tutorial: a file to save or a shell command to run, in the README's order. */
type TutorialStep = { kind: 'file'; name: string; text: string } | { kind: 'command'; line: string };

/** The steps between `<!-- tutorial: begin -->` and `<!-- tutorial: end -->`: "save … as `NAME`" before a block names a file. */
export function tutorialSteps(readme: string): TutorialStep[] {
  const begin = readme.indexOf('<!-- tutorial: begin -->');
  const end = readme.indexOf('<!-- tutorial: end -->');
  assert.ok(begin >= 0 && end > begin, 'the README has a tutorial section');
  const section = readme.slice(begin, end);
  const steps: TutorialStep[] = [];
  const fence = /```(\w*)\n([\s\S]*?)```/g;
  let last = 0;
  for (let match = fence.exec(section); match !== null; match = fence.exec(section)) {
    const prose = section.slice(last, match.index);
    last = match.index + match[0].length;
    const [, language, body] = match as unknown as [string, string, string];
    if (language === 'sh') {
      for (const raw of body.split('\n')) {
        const line = raw.replace(/\s+#\s.*$/, '').trim();
        if (line !== '' && !line.startsWith('#')) steps.push({ kind: 'command', line });
      }
      continue;
    }
    const saved = /save [^`]*as `([^`]+)`[^`]*$/i.exec(prose);
    assert.ok(saved, `a ${language} block of the tutorial says which file to save it as: ${body.slice(0, 60)}`);
    steps.push({ kind: 'file', name: saved[1]!, text: body });
  }
  return steps;
}

/** Shell-like words of a command line: single and double quotes, no expansion (the tutorial needs no more). */
function words(line: string): string[] {
  const out: string[] = [];
  const word = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = word.exec(line); m !== null; m = word.exec(line)) out.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3]!);
  return out;
}

describe('the README tutorial (the course lab on Riffle), every command run in order', () => {
  let riffle: RiffleProcess;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    riffle = await startRiffle();
    dir = mkdtempSync(join(tmpdir(), 'riffle-tutorial-'));
    // The tutorial relies on the default endpoint; the test's server is on another port, named by the environment.
    env = { ...process.env, HOME: dir, AWS_ENDPOINT_URL: riffle.endpoint, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: undefined };
  });
  after(async () => {
    await riffle?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args: string[]) => {
    const result = await runRiffleCommand(args, { cwd: dir, env });
    assert.equal(result.code, 0, `riffle ${args.join(' ')} failed: ${result.stderr}\n${result.stdout}`);
    return result;
  };

  /** Runs a following command until its output satisfies `enough`, then stops it as Ctrl-C would. */
  const runUntil = async (args: string[], enough: (stdout: string) => boolean) => {
    const command = startRiffleCommand(args, { cwd: dir, env });
    await command.waitFor(enough, COMMAND_TIMEOUT_MS);
    command.child.kill('SIGINT');
    return { stdout: command.stdout(), code: await command.exited };
  };

  it('`npx riffle` is the command npm linked at install, a committed file that exists before any build', async () => {
    const linked = realpathSync(new URL('node_modules/.bin/riffle', repoRoot));
    const manifest = JSON.parse(readFileSync(new URL('packages/riffle/package.json', repoRoot), 'utf8')) as { bin: { riffle: string } };
    assert.equal(linked, realpathSync(new URL(`packages/riffle/${manifest.bin.riffle}`, repoRoot)));
    assert.doesNotMatch(manifest.bin.riffle, /dist\//, 'npm links bins before the build: a target under dist/ is not linked on a fresh install');
    const { stdout } = await execFileAsync(linked, ['--help'], { env, timeout: COMMAND_TIMEOUT_MS });
    assert.match(stdout, /riffle deploy/);
  });

  it('runs, and each command does what the README says', async () => {
    const steps = tutorialSteps(readFileSync(readmePath, 'utf8'));
    const client = kinesisClient(riffle.endpoint);
    const checked: string[] = [];
    let deploys = 0;
    let tails = 0;
    for (const step of steps) {
      if (step.kind === 'file') {
        writeFileSync(join(dir, step.name), step.text.replaceAll(README_ENDPOINT, riffle.endpoint));
        continue;
      }
      const argv = words(step.line);
      checked.push(step.line);
      if (step.line === 'npm install && npm start') continue; // this test started the server
      assert.deepEqual(argv.slice(0, 2), ['npx', 'riffle'], `every tutorial command is a riffle command this test knows: ${step.line}`);
      const args = argv.slice(2);
      const [command] = args;
      if (command === 'deploy' && args.includes('--delete')) {
        await run(args);
        await assert.rejects(client.send(new DescribeStreamSummaryCommand({ StreamName: 'lab-metrics' })), { name: 'ResourceNotFoundException' });
      } else if (command === 'deploy') {
        const { stdout } = await run(args);
        deploys += 1;
        const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName: 'lab-metrics' }))).StreamDescriptionSummary!;
        assert.equal(summary.StreamStatus, 'ACTIVE');
        assert.equal(summary.StreamModeDetails?.StreamMode, 'PROVISIONED');
        assert.equal(summary.OpenShardCount, deploys === 1 ? 1 : 2, 'the first deploy makes 1 shard, the update with ShardCount=2 two');
        assert.match(stdout, new RegExp(summary.StreamARN!.replaceAll('/', '\\/')), 'the output StreamArn is printed, resolved');
      } else if (command === 'streams') {
        const { stdout } = await run(args);
        assert.match(stdout, /lab-metrics/);
        assert.match(stdout, /shardId-000000000000/);
      } else if (command === 'generate') {
        const { stderr } = await run(args);
        assert.match(stderr, /\b8\b/, 'the summary counts the 8 records');
      } else if (command === 'put') {
        await run(args);
      } else if (command === 'tail' && !args.includes('--no-follow')) {
        tails += 1;
        const { stdout, code } = await runUntil(args, (out) => out.split('\n').filter(Boolean).length >= 8);
        assert.equal(code, 0, 'Ctrl-C stops tail cleanly');
        const records = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { partitionKey: string; data: string });
        assert.equal(records.length, 8);
        for (const record of records) {
          const metric = JSON.parse(record.data) as Record<string, unknown>;
          assert.deepEqual(Object.keys(metric), ['componentName', 'metricName', 'unit', 'value', 'publicationTimestamp']);
          assert.equal(record.partitionKey, metric.componentName);
        }
        assert.deepEqual(new Set(records.map((r) => JSON.parse(r.data).metricName)), new Set(['cpu', 'ram']));
      } else if (command === 'tail') {
        tails += 1;
        const { stdout } = await run(args);
        const lines = stdout.split('\n').filter(Boolean);
        assert.equal(lines.length, 9, 'the 8 generated records and the one put after the reshard');
        assert.match(lines.at(-1)!, /billing-service/);
        const shards = (await client.send(new ListShardsCommand({ StreamName: 'lab-metrics' }))).Shards!;
        assert.ok(shards.length >= 3, 'the parent and its children are listed');
      } else {
        assert.fail(`the tutorial runs a command this test does not check: ${step.line}`);
      }
    }
    assert.ok(deploys >= 2 && tails >= 2, `the tutorial deploys, updates, tails twice: ${checked.join(' | ')}`);
    client.destroy();
  });
});
