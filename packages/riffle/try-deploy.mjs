import { startRiffle, riffleMain } from '@riffle/testkit';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(execFile);
const riffle = await startRiffle();
const args = process.argv.slice(2);
const env = { ...process.env, AWS_ENDPOINT_URL: riffle.endpoint, RIFFLE_STATE_DIR: '/tmp/riffle-deploy-try' };
for (const set of args.join(' ').split(' ;; ')) {
  try {
    const r = await run(process.execPath, [riffleMain, 'deploy', ...set.split(' ')], { env, timeout: 30000 });
    console.log('EXIT 0\n' + r.stdout + r.stderr);
  } catch (e) { console.log('EXIT', e.code, '\n' + e.stdout + e.stderr); }
}
await riffle.stop();
