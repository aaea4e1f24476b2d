#!/usr/bin/env node
// `npm run codegen`: regenerates packages/api/src/generated/ from the vendored models.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateAll } from './generate-all.js';

const { values } = parseArgs({
  options: {
    root: { type: 'string' },
    out: { type: 'string' },
  },
});
// dist/src/main.js -> repository root is four levels up.
const repoRoot = resolve(values.root ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..'));
const outDir = resolve(values.out ?? join(repoRoot, 'packages', 'api', 'src', 'generated'));
const files = generateAll(repoRoot);
for (const [path, content] of files) {
  const target = join(outDir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}
console.log(`codegen: wrote ${files.size} files to ${outDir}`);
