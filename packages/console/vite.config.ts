import { defineConfig } from 'vite';

// The console is served by `riffle serve` from dist/web; dist/e2e holds the compiled browser tests.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // The two AWS SDK clients are most of the bundle; one chunk keeps the first load to one round trip.
    chunkSizeWarningLimit: 2048,
  },
});
