// Summarises V8 CPU profiles (`node --cpu-prof`, e.g. Riffle run by the harness with BENCH_RIFFLE_CPU_PROF=<dir>):
// self time by function, and self time by where the code lives (Riffle's packages, node_modules, Node's own lib).
// Usage: node bench/cpu-profile-top.mjs <file.cpuprofile | dir> [--top 30]
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' } } });
if (positionals.length !== 1) {
  process.stderr.write('Usage: node bench/cpu-profile-top.mjs <file.cpuprofile | dir> [--top 30]\n');
  process.exit(2);
}
const target = positionals[0];
const files = (await stat(target)).isDirectory()
  ? (await readdir(target)).filter((name) => name.endsWith('.cpuprofile')).map((name) => join(target, name))
  : [target];

/** Where a frame's code lives: a Riffle package, an npm package, Node's internals, or V8's own buckets. */
function areaOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /\/packages\/([^/]+)\//.exec(url);
  if (pkg && !url.includes('/node_modules/')) return `riffle:${pkg[1]}`;
  const module = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (module) return `npm:${module[1]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

for (const file of files) {
  const profile = JSON.parse(await readFile(file, 'utf8'));
  const byFunction = new Map();
  const byArea = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const hits = node.hitCount ?? 0;
    const where = url.replace(/^.*\/(packages|node_modules)\//, '$1/').replace('file://', '');
    const key = `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
    const area = areaOf(url, functionName || '(anonymous)');
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
    total += hits;
  }
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const share = (hits) => `${((100 * hits) / total).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${total} samples over ${seconds.toFixed(1)} s`);
  console.log('self time by area:');
  for (const [area, hits] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${share(hits)}  ${area}`);
  console.log(`self time, top ${values.top} functions:`);
  for (const [key, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${share(hits)}  ${key}`);
  console.log('');
}
