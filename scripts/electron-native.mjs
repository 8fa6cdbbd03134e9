// Builds a copy of better-sqlite3's native module for Electron's ABI into .electron-native/, so
// `npm start` can run the desktop app while node_modules keeps the Node build the CLI, the server
// and the tests use. The desktop main process finds it through STUDIO_SQLITE_BINDING (set below
// for `electron .` via .electron-native/env). Packaged apps do not need this: electron-builder
// rebuilds native modules for Electron when it packages.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const outDir = path.join(root, '.electron-native');
const target = path.join(outDir, `better_sqlite3-electron-${electronVersion}.node`);

if (!existsSync(target)) {
  const work = path.join(os.tmpdir(), `studio-sqlite-electron-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  cpSync(path.join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true });
  rmSync(path.join(work, 'build'), { recursive: true, force: true });
  const prebuild = path.join(root, 'node_modules', '.bin', 'prebuild-install');
  try {
    execFileSync(prebuild, ['--runtime', 'electron', '--target', electronVersion], {
      cwd: work,
      stdio: 'inherit',
    });
  } catch {
    // No prebuilt binary for this Electron: compile against Electron's headers instead.
    execFileSync(
      'npx',
      [
        'node-gyp',
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        '--runtime=electron',
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: work, stdio: 'inherit' },
    );
  }
  mkdirSync(outDir, { recursive: true });
  cpSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(path.join(outDir, 'binding-path'), target);
console.log(`better-sqlite3 for Electron ${electronVersion}: ${target}`);
