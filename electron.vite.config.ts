import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for all three shells: `out/main/index.js` is the Electron main process,
// `out/main/cli.js` the command line and headless server (plain Node, never imports electron),
// `out/main/mlWorker.js` the ML worker thread. Dependencies stay external (native modules and
// tfjs's wasm files are loaded from node_modules at run time).
export default defineConfig({
  main: {
    publicDir: false,
    build: {
      outDir: 'out/main',
      sourcemap: true,
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          cli: resolve(__dirname, 'main/cli/studio.ts'),
          mlWorker: resolve(__dirname, 'main/ml/worker/worker.ts'),
        },
      },
    },
  },
  preload: {
    publicDir: false,
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
      },
    },
  },
  renderer: {
    root: 'renderer',
    publicDir: false,
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
      },
    },
  },
});
