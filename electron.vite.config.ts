import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * renderer/index.html carries the app's Content-Security-Policy. The dev server alone needs more:
 * React's refresh preamble is an inline script and hot reload talks over a WebSocket. Built
 * pages are left exactly as written.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'studio-relax-csp-for-dev-server',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*"),
  };
}

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
    plugins: [react(), relaxCspForDevServer()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
      },
    },
  },
});
