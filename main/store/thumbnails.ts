import path from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from './atomicWrite';
import { isSha256, touch } from './blobStore';

export const THUMB_SIZE = 96;

/**
 * Small PNG previews of image blobs under `thumbs/ab/<sha>.png`, made once at import. Tiny images
 * (28 px digits) are enlarged with nearest-neighbour so pixels stay crisp in the grid.
 */
export class ThumbnailStore {
  constructor(readonly root: string) {}

  pathOf(sha: string): string {
    if (!isSha256(sha)) throw new Error(`Not a blob id: ${sha}`);
    return path.join(this.root, sha.slice(0, 2), `${sha}.png`);
  }

  /** Whether the thumbnail is there; if it is, it is marked as used (see `touch`). */
  refresh(sha: string): Promise<boolean> {
    return touch(this.pathOf(sha));
  }

  async ensure(sha: string, original: Uint8Array): Promise<void> {
    const target = this.pathOf(sha);
    if (await touch(target)) return;
    const png = await sharp(original, { animated: false })
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', kernel: 'nearest' })
      .png()
      .toBuffer();
    await writeFileAtomic(target, png, { flush: false });
  }
}
