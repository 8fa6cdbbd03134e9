// Runs scripts/bench-cleaning.ts (see there) with Vite's module runner, which compiles the studio's
// TypeScript on the fly (the ML worker it starts must be built: out/main/mlWorker.js). Exits explicitly: the wasm backend's worker threads
// would keep Node alive.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const entry = fileURLToPath(new URL('./bench-cleaning.ts', import.meta.url));
try {
  const { module } = await runnerImport(entry, { configFile: false, logLevel: 'error' });
  process.exit(await module.main(process.argv.slice(2)));
} catch (error) {
  console.error(error);
  process.exit(1);
}
