import { readFileSync } from 'node:fs';

/** The riffle package's version (riffle_build_info, `riffle --version`). */
export const RIFFLE_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
