import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/fixtures';
import { UploadStaging } from './uploadStaging';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => cleanup?.());

describe('UploadStaging', () => {
  it('writes files under their relative paths and refuses paths that escape', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const staging = new UploadStaging(path.join(t.dir, 'uploads'));
    const id = await staging.begin('digits');
    await staging.write(id, 'seven/a.png', Buffer.from('x'));
    const { folder, name } = staging.open(id);
    expect(name).toBe('digits');
    expect(readFileSync(path.join(folder, 'seven', 'a.png'), 'utf8')).toBe('x');
    await expect(staging.write(id, '../../evil.png', Buffer.from('x'))).rejects.toThrow(
      /not a relative file path/,
    );
    await staging.discard(id);
    expect(() => staging.open(id)).toThrow(/Unknown upload/);
  });
});
