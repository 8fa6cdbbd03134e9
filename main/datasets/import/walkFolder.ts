import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { ioFailure } from './readRegularFile';

export interface FoundFile {
  absolutePath: string;
  /** Path below the import root, with forward slashes. */
  relativePath: string;
  /** The first sub-folder level is the class; files at the root are unlabeled. */
  label: string | null;
}

export interface UnreadableEntry {
  absolutePath: string;
  reason: string;
}

const SYSTEM_FILES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'desktop.ini', 'icon\r']);
/** Folders that operating systems and tools leave on disks and in ZIPs; never the user's data. */
const SYSTEM_FOLDERS = new Set([
  '__macosx',
  '.git',
  '.svn',
  '.trashes',
  '.spotlight-v100',
  '.fseventsd',
  '.temporaryitems',
  '$recycle.bin',
  'system volume information',
]);

/** `fs.promises.readdir` with file types; tests inject failures (they run as root). */
export type ReadDirectory = (folder: string) => Promise<Dirent[]>;

const readDirectory: ReadDirectory = (folder) => fs.readdir(folder, { withFileTypes: true });

/**
 * Walks an import folder depth-first in a stable (sorted) order, yielding files one at a time so
 * memory does not grow with the folder. Symbolic links are not followed (a link loop cannot trap
 * the walk); unreadable folders and links are reported, never thrown.
 */
export async function* walkFolder(
  root: string,
  onUnreadable: (entry: UnreadableEntry) => void,
  readdir: ReadDirectory = readDirectory,
): AsyncGenerator<FoundFile> {
  const stack: string[] = [''];
  while (stack.length > 0) {
    const relativeDir = stack.pop() as string;
    const absoluteDir = path.join(root, relativeDir);
    let entries;
    try {
      entries = await readdir(absoluteDir);
    } catch (err) {
      onUnreadable({
        absolutePath: absoluteDir,
        reason: `folder cannot be read: ${ioFailure(err)}`,
      });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      const relativePath = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      const absolutePath = path.join(root, relativePath);
      if (entry.isSymbolicLink()) {
        onUnreadable({ absolutePath, reason: 'symbolic link, not followed' });
      } else if (entry.isDirectory()) {
        if (SYSTEM_FOLDERS.has(entry.name.toLowerCase())) {
          onUnreadable({ absolutePath, reason: 'system folder, ignored' });
        } else subdirs.push(relativePath);
      } else if (entry.isFile()) {
        // `._name` files are macOS metadata written beside every file on non-Apple disks.
        if (SYSTEM_FILES.has(entry.name.toLowerCase()) || entry.name.startsWith('._')) {
          onUnreadable({ absolutePath, reason: 'system file, ignored' });
          continue;
        }
        const slash = relativePath.indexOf('/');
        yield {
          absolutePath,
          relativePath,
          label: slash < 0 ? null : relativePath.slice(0, slash),
        };
      } else {
        onUnreadable({ absolutePath, reason: 'not a regular file' });
      }
    }
    // Reverse so that popping visits sub-folders in sorted order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as string);
  }
}
