#!/usr/bin/env node
// The `riffle` command. Committed (not built) so that npm links it into node_modules/.bin at install time, which comes
// before the build that makes dist/: a bin pointing into dist/ was not linked on a fresh clone, and `npx riffle` failed.
import '../dist/src/main.js';
