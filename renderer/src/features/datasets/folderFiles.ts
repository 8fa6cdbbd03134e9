// Turning what a person dropped or picked into (file, path inside the folder) pairs. The class
// sub-folders must come out as the first path level, because the importer reads labels from there.

export interface FolderFile {
  file: File;
  /** Path inside the imported folder, `/`-separated, e.g. `cats/001.png`. */
  relativePath: string;
}

export interface FolderSelection {
  /** A name for the dataset: the folder's own name where there is one. */
  name: string;
  files: FolderFile[];
}

/** What must be taken from a DataTransfer during the drop event, before it is emptied. */
export interface DropCapture {
  entries: FileSystemEntry[];
  files: File[];
}

export function captureDrop(dataTransfer: DataTransfer): DropCapture {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dataTransfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    if (entry) entries.push(entry);
  }
  return { entries, files: Array.from(dataTransfer.files) };
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

// readEntries hands out at most ~100 entries per call; it has to be called until it returns none.
async function readAllEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: FolderFile[]): Promise<void> {
  if (isFile(entry)) {
    out.push({ file: await fileOf(entry), relativePath: prefix + entry.name });
  } else if (isDirectory(entry)) {
    for (const child of await readAllEntries(entry)) {
      await walk(child, `${prefix}${entry.name}/`, out);
    }
  }
}

/** Browser drop: one folder becomes the dataset root; several items become its top level. */
export async function filesFromDrop(capture: DropCapture): Promise<FolderSelection> {
  const [first] = capture.entries;
  if (capture.entries.length === 1 && first && isDirectory(first)) {
    const files: FolderFile[] = [];
    for (const child of await readAllEntries(first)) await walk(child, '', files);
    return { name: first.name, files };
  }
  if (capture.entries.length > 0) {
    const files: FolderFile[] = [];
    for (const entry of capture.entries) await walk(entry, '', files);
    return { name: 'Dropped files', files };
  }
  // No entry API (very old engines): the flat file list is all there is.
  return {
    name: 'Dropped files',
    files: capture.files.map((file) => ({ file, relativePath: file.name })),
  };
}

/** Browser folder picker: `webkitRelativePath` starts with the picked folder, which is dropped. */
export function filesFromPicker(fileList: FileList | File[]): FolderSelection {
  const files = Array.from(fileList);
  let name = 'Picked files';
  const out: FolderFile[] = [];
  for (const file of files) {
    const rel = file.webkitRelativePath || file.name;
    const slash = rel.indexOf('/');
    if (slash > 0) {
      name = rel.slice(0, slash);
      out.push({ file, relativePath: rel.slice(slash + 1) });
    } else {
      out.push({ file, relativePath: rel });
    }
  }
  return { name, files: out };
}

/**
 * Desktop folder picker: the picked folder's path is any file's absolute path minus its
 * `webkitRelativePath`, plus that path's first segment (the folder's own name).
 */
export function pickedFolderPath(file: File, absolutePath: string): string | null {
  const rel = file.webkitRelativePath;
  if (!rel || absolutePath.length < rel.length) return null;
  const [rootName] = rel.split('/');
  if (!rootName) return null;
  // Separators are one character on every platform, so the lengths line up even on Windows.
  return absolutePath.slice(0, absolutePath.length - rel.length) + rootName;
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}
