import { randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR_MODE } from '../../common/dataDir';

/**
 * The browser cannot hand the server a folder path, so a dropped folder is uploaded file by file
 * into `uploads/<id>/` and then imported like any folder. The staging folder is removed after.
 */
export class UploadStaging {
  private readonly names = new Map<string, string>();

  constructor(private readonly root: string) {}

  async begin(name: string): Promise<string> {
    const uploadId = randomUUID();
    await fs.mkdir(this.folderOf(uploadId), { recursive: true, mode: PRIVATE_DIR_MODE });
    this.names.set(uploadId, safeName(name));
    return uploadId;
  }

  /** Writes one uploaded file; refuses paths that would escape the staging folder. */
  async write(uploadId: string, relativePath: string, bytes: Uint8Array): Promise<void> {
    await fs.writeFile(await this.target(uploadId, relativePath), bytes);
  }

  /**
   * Where one uploaded file goes, its folder made; refuses paths that would escape the staging
   * folder. The server streams the request body there rather than holding it in memory.
   */
  async target(uploadId: string, relativePath: string): Promise<string> {
    const folder = this.requireFolder(uploadId);
    const parts = relativePath.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
    if (parts.length === 0 || parts.some((p) => p === '..')) {
      throw new UploadError(`The upload path "${relativePath}" is not a relative file path.`);
    }
    const target = path.join(folder, ...parts);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
    return target;
  }

  /** The staged folder and the name the person gave it. */
  open(uploadId: string): { folder: string; name: string } {
    const folder = this.requireFolder(uploadId);
    return { folder, name: this.names.get(uploadId) ?? 'upload' };
  }

  async discard(uploadId: string): Promise<void> {
    this.names.delete(uploadId);
    await fs.rm(this.folderOf(uploadId), { recursive: true, force: true });
  }

  /** Leftovers of uploads interrupted by a restart. */
  async clearAll(): Promise<void> {
    await fs.rm(this.root, { recursive: true, force: true });
  }

  private folderOf(uploadId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(uploadId)) throw new UploadError(`Unknown upload ${uploadId}.`);
    return path.join(this.root, uploadId);
  }

  private requireFolder(uploadId: string): string {
    const folder = this.folderOf(uploadId);
    if (!this.names.has(uploadId) || !existsSync(folder)) {
      throw new UploadError(`Unknown upload ${uploadId}; start it again.`);
    }
    return folder;
  }
}

export class UploadError extends Error {}

function safeName(name: string): string {
  const trimmed = name.trim().replace(/[\\/]/g, '_');
  return trimmed === '' ? 'upload' : trimmed.slice(0, 200);
}
