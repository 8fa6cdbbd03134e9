import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CallArgs } from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import type { CallHandlers } from '../core/dispatch';

/**
 * What the browser shell may touch on the server's disk: folders under the roots the person
 * starting the server named (`--root`), and the data dir's own exports folder. The Electron and
 * CLI shells are the person at their own machine and keep full path access; only a page, which
 * any site could try to drive, is held to this.
 */
export interface PathPolicy {
  /** Real paths (symlinks resolved), checked to be folders. */
  roots: readonly string[];
  /** Where exports made without a chosen folder go (`<dataDir>/exports`). */
  exportsDir: string;
}

export class RootError extends Error {}

/** The real path of each `--root`; each must be an existing folder. */
export async function resolveRoots(dirs: readonly string[]): Promise<string[]> {
  const roots: string[] = [];
  for (const dir of dirs) {
    const real = await fs.realpath(path.resolve(dir)).catch(() => null);
    const stat = real ? await fs.stat(real).catch(() => null) : null;
    if (!real || !stat?.isDirectory()) {
      throw new RootError(`--root ${dir}: no such folder.`);
    }
    roots.push(real);
  }
  return roots;
}

/** The core's handlers with the calls that take server paths held to the policy. */
export function withPathPolicy(handlers: CallHandlers, policy: PathPolicy): CallHandlers {
  return {
    ...handlers,
    'datasets:importFolder': async (args) =>
      handlers['datasets:importFolder'](await checkImport(args, policy)),
    'datasets:finishUpload': (args) => {
      if (args.labelsFile !== undefined) relativeLabelsFile(args.labelsFile);
      return handlers['datasets:finishUpload'](args);
    },
    'samples:export': async (args) => handlers['samples:export'](await checkExport(args, policy)),
    'runs:exportReport': async (args) =>
      handlers['runs:exportReport'](await checkExport(args, policy)),
    'datasets:exportVersion': async (args) =>
      handlers['datasets:exportVersion'](await checkExport(args, policy)),
    'runs:exportModel': async (args) =>
      handlers['runs:exportModel'](await checkExport(args, policy)),
  };
}

function refused(message: string): StudioFailure {
  return new StudioFailure('invalid-input', message, { policy: 'server-roots' });
}

function rootList(policy: PathPolicy): string {
  return policy.roots.join(', ');
}

async function checkImport(
  args: CallArgs<'datasets:importFolder'>,
  policy: PathPolicy,
): Promise<CallArgs<'datasets:importFolder'>> {
  if (policy.roots.length === 0) {
    throw refused(
      'This studio server was started without --root, so a page cannot open folders on its ' +
        'disk. Drop the folder on the page to upload it, or restart with `studio serve --root <folder>`.',
    );
  }
  const folder = args.path.trim();
  const named = path.resolve(folder);
  const underRoot = (p: string): boolean => policy.roots.some((root) => isWithin(p, root));
  const real = path.isAbsolute(folder) ? await fs.realpath(named).catch(() => null) : null;
  if (!real || !underRoot(real)) {
    // Only a name under a root learns whether it exists: nothing is said about paths outside.
    if (real === null && path.isAbsolute(folder) && underRoot(named)) {
      throw new StudioFailure('not-found', `The folder ${folder} does not exist.`);
    }
    throw refused(
      underRoot(named)
        ? `${folder} is a link to a folder outside ${rootList(policy)}; it is not read.`
        : `${folder} is not under a folder this server may read (${rootList(policy)}). ` +
            'Choose a folder under one of them (by its full path), or upload it from the page.',
    );
  }
  if (args.labelsFile === undefined) return { ...args, path: real };
  const labels = path.resolve(real, relativeLabelsFile(args.labelsFile));
  const realLabels = await fs.realpath(labels).catch(() => null);
  if (realLabels && !isWithin(realLabels, real)) {
    throw refused(`The labels file ${args.labelsFile} is a link out of the folder it labels.`);
  }
  return { ...args, path: real, labelsFile: realLabels ?? labels };
}

/** A labels file lives in the folder it labels: a relative name with no way out of it. */
function relativeLabelsFile(labelsFile: string): string {
  const parts = labelsFile.split(/[\\/]+/);
  if (path.isAbsolute(labelsFile) || /^[a-zA-Z]:/.test(labelsFile) || parts.includes('..')) {
    throw refused(
      `The labels file must be named relative to the folder it labels (like labels.csv), ` +
        `without "..": ${labelsFile} is not.`,
    );
  }
  return parts.filter((p) => p !== '' && p !== '.').join(path.sep);
}

async function checkExport<T extends { folder?: string }>(args: T, policy: PathPolicy): Promise<T> {
  const folder = args.folder?.trim();
  if (!folder) return args;
  const bases = [...policy.roots, await nearestRealPath(policy.exportsDir)];
  const real = path.isAbsolute(folder) ? await nearestRealPath(path.resolve(folder)) : null;
  // Strictly inside a base: the ZIP is written beside the folder, as <folder>.zip.
  if (!real || !bases.some((base) => isWithin(real, base) && real !== base)) {
    throw refused(
      `Exports from the browser go into a new folder under ` +
        `${[...policy.roots, policy.exportsDir].join(', ')} (give its full path), or leave the ` +
        `folder empty for the studio's exports folder.`,
    );
  }
  const entries = await fs.readdir(real).catch(() => null);
  if (entries && entries.length > 0) {
    throw refused(`${folder} already exists and is not empty; choose a new folder name.`);
  }
  const zipTaken = await fs.lstat(`${real}.zip`).then(
    () => true,
    () => false,
  );
  if (zipTaken) throw refused(`${folder}.zip already exists; choose a new folder name.`);
  return { ...args, folder: real };
}

/** The real path of the deepest part of `target` that exists, with the rest appended. */
async function nearestRealPath(target: string): Promise<string> {
  let existing = target;
  const rest: string[] = [];
  for (;;) {
    const real = await fs.realpath(existing).catch(() => null);
    if (real) return path.join(real, ...rest);
    const parent = path.dirname(existing);
    if (parent === existing) return target;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
}

function isWithin(child: string, root: string): boolean {
  const relative = path.relative(root, child);
  return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
}
