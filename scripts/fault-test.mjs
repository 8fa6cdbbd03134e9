// kill -9 the command line at 20 seeded random moments across import, audit, training, resume and
// export, checking after each that the data dir is intact and recovers (main/cli/faultKill.test.ts
// with more rounds). Needs the build: `npm run build` first.
//   npm run fault:test                 20 rounds, seed 1
//   FAULT_ROUNDS=50 FAULT_SEED=7 npm run fault:test
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync('npx', ['vitest', 'run', 'main/cli/faultKill.test.ts', '--silent=false'], {
  cwd: REPO,
  stdio: 'inherit',
  env: {
    ...process.env,
    FAULT_ROUNDS: process.env.FAULT_ROUNDS ?? '20',
    FAULT_SEED: process.env.FAULT_SEED ?? '1',
  },
});
process.exit(result.status ?? 1);
