import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Demo mode's embedded relay uses fastify: bundled, so the packaged app ships no relay server packages.
      externalizeDeps: { exclude: ['fastify'] },
      rollupOptions: {
        input: {
          // The Electron entry, and the same services behind loopback HTTP for machines without Electron.
          index: resolve(import.meta.dirname, 'src/main/electron/main.ts'),
          harness: resolve(import.meta.dirname, 'src/main/harness.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
  },
});
