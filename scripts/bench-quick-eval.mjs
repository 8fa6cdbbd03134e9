// Runs scripts/bench-quick-eval.ts (see there) with Vite's module runner, which compiles the studio's
// TypeScript on the fly; no build needed. Exits explicitly: the wasm backend's worker threads
// would keep Node alive.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const entry = fileURLToPath(new URL('./bench-quick-eval.ts', import.meta.url));
try {
  const { module } = await runnerImport(entry, { configFile: false, logLevel: 'error' });
  process.exit(await module.main(process.argv.slice(2)));
} catch (error) {
  console.error(error);
  process.exit(1);
}
