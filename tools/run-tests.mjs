// Runs every compiled test file (dist/**/*.test.js) of the workspace with node's built-in test runner.
// Node 20's `node --test` takes paths, not globs, so the files are listed here. Soaks (*.long.test.js) run only
// with --long (`npm run test:long`), and then alone.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['packages', 'tools'];
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.js') && path.includes(`${'dist'}/`)) files.push(path);
  }
}
for (const root of roots) for (const pkg of readdirSync(root)) {
  const dist = join(root, pkg, 'dist');
  try { if (statSync(dist).isDirectory()) walk(dist); } catch { /* package not built */ }
}
// The benchmark harness is plain ESM with its own unit tests beside it.
for (const name of readdirSync('bench')) if (name.endsWith('.test.mjs')) files.push(join('bench', name));
const long = process.argv.includes('--long');
const filter = process.argv.slice(2).filter((arg) => arg !== '--long');
const ofKind = files.filter((f) => f.endsWith('.long.test.js') === long);
const selected = filter.length ? ofKind.filter((f) => filter.some((s) => f.includes(s))) : ofKind;
if (selected.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...selected], { stdio: 'inherit' });
process.exit(result.status ?? 1);
