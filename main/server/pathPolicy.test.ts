import { promises as fs, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pngBytes, tempDir, writeFile } from '../testing/fixtures';
import { pageCall, startTestServer, type TestServer } from './serverTestKit';

// The browser shell's hold on paths (issue 10), as real calls against a running server.

let studio: TestServer;
afterEach(async () => {
  await studio?.close();
});

describe('what a page may read and write on the server’s disk', () => {
  it('imports a folder under a --root, and refuses one outside it or a link out of it', async () => {
    const outside = tempDir('studio-outside-');
    try {
      await writeFile(outside.dir, 'private/a.png', await pngBytes(1));
      studio = await startTestServer({ roots: [] });
      const none = (await pageCall(studio, 'datasets:importFolder', {
        path: path.join(outside.dir, 'private'),
      })) as { ok: boolean; error: { message: string } };
      expect(none.ok).toBe(false);
      expect(none.error.message).toMatch(/without --root/);
      await studio.close();

      const root = path.join(outside.dir, 'root');
      await writeFile(root, 'digits/3/a.png', await pngBytes(2));
      symlinkSync(path.join(outside.dir, 'private'), path.join(root, 'escape'));
      studio = await startTestServer({ roots: [root] });
      const elsewhere = (await pageCall(studio, 'datasets:importFolder', {
        path: path.join(outside.dir, 'private'),
      })) as { ok: boolean; error: { message: string } };
      expect(elsewhere.ok).toBe(false);
      expect(elsewhere.error.message).toMatch(/is not under a folder this server may read/);
      const dotted = (await pageCall(studio, 'datasets:importFolder', {
        path: `${root}/../private`,
      })) as { ok: boolean };
      expect(dotted.ok).toBe(false);
      const linked = (await pageCall(studio, 'datasets:importFolder', {
        path: path.join(root, 'escape'),
      })) as { ok: boolean; error: { message: string } };
      expect(linked.ok).toBe(false);
      expect(linked.error.message).toMatch(/link to a folder outside/);
      expect(await pageCall(studio, 'datasets:list', {})).toEqual({ ok: true, value: [] });

      const inside = (await pageCall(studio, 'datasets:importFolder', {
        path: path.join(root, 'digits'),
      })) as { ok: boolean; value: { importedCount: number } };
      expect(inside.ok).toBe(true);
      expect(inside.value.importedCount).toBe(1);
    } finally {
      await outside.cleanup();
    }
  });

  it('takes a labels file only inside the folder it labels, and never echoes a file', async () => {
    const outside = tempDir('studio-outside-');
    try {
      const secret = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE-secret';
      await writeFile(outside.dir, 'secret.csv', `${secret}\n`);
      const root = path.join(outside.dir, 'root');
      await writeFile(root, 'flat/a.png', await pngBytes(1));
      await writeFile(root, 'flat/labels.csv', `path,label\n${secret}\n`);
      symlinkSync(path.join(outside.dir, 'secret.csv'), path.join(root, 'flat', 'linked.csv'));
      studio = await startTestServer({ roots: [root] });
      const folder = path.join(root, 'flat');
      for (const labelsFile of [
        path.join(outside.dir, 'secret.csv'),
        '../../secret.csv',
        'linked.csv',
      ]) {
        const res = (await pageCall(studio, 'datasets:importFolder', {
          path: folder,
          labelsFile,
        })) as {
          ok: boolean;
          error: { message: string };
        };
        expect(res.ok, labelsFile).toBe(false);
        expect(res.error.message).not.toContain('AAAA');
      }
      // A labels file inside, but not a labels file: the error names the line, not its content.
      const bad = (await pageCall(studio, 'datasets:importFolder', {
        path: folder,
        labelsFile: 'labels.csv',
      })) as {
        ok: boolean;
        error: { message: string };
      };
      expect(bad.ok).toBe(false);
      expect(bad.error.message).toMatch(/line 2/);
      expect(JSON.stringify(bad)).not.toContain('AAAA');

      const begun = (await pageCall(studio, 'datasets:beginUpload', { name: 'up' })) as {
        value: { uploadId: string };
      };
      const upload = (await pageCall(studio, 'datasets:finishUpload', {
        uploadId: begun.value.uploadId,
        labelsFile: path.join(outside.dir, 'secret.csv'),
      })) as { ok: boolean; error: { message: string } };
      expect(upload.ok).toBe(false);
      expect(upload.error.message).toMatch(/relative to the folder it labels/);
    } finally {
      await outside.cleanup();
    }
  });

  it('exports only into a new folder under a root or the exports folder, never over a ZIP', async () => {
    const work = tempDir('studio-outside-');
    try {
      const root = path.join(work.dir, 'root');
      await fs.mkdir(root);
      await writeFile(root, 'taken.zip', 'a zip of the person’s own');
      studio = await startTestServer({ roots: [root] });
      const tryExport = async (folder: string) =>
        (await pageCall(studio, 'samples:export', { sampleIds: [1], folder })) as {
          ok: boolean;
          error: { code: string; message: string };
        };
      for (const folder of [
        path.join(work.dir, 'elsewhere'),
        root,
        'relative/out',
        `${root}/../x`,
      ]) {
        const res = await tryExport(folder);
        expect(res.error.message, folder).toMatch(/Exports from the browser go into a new folder/);
      }
      expect((await tryExport(path.join(root, 'taken'))).error.message).toMatch(/already exists/);
      expect(await fs.readFile(path.join(root, 'taken.zip'), 'utf8')).toBe(
        'a zip of the person’s own',
      );
      // Allowed by the policy, so the export itself answers: there is no sample 1.
      expect((await tryExport(path.join(root, 'fresh'))).error.code).toBe('not-found');
      // A model export is held to the same folders.
      const model = (await pageCall(studio, 'runs:exportModel', {
        runId: 1,
        folder: path.join(work.dir, 'elsewhere'),
      })) as { ok: boolean; error: { message: string } };
      expect(model.error.message).toMatch(/Exports from the browser go into a new folder/);
    } finally {
      await work.cleanup();
    }
  });

  it('writes a run report only into a new folder under a root or the exports folder', async () => {
    const work = tempDir('studio-outside-');
    try {
      const root = path.join(work.dir, 'root');
      await writeFile(root, 'used/notes.txt', 'the person’s own');
      studio = await startTestServer({ roots: [root] });
      const tryReport = async (folder: string) =>
        (await pageCall(studio, 'runs:exportReport', { runId: 1, folder })) as {
          ok: boolean;
          error: { code: string; message: string };
        };
      for (const folder of [path.join(work.dir, 'elsewhere'), root, `${root}/../x`]) {
        const res = await tryReport(folder);
        expect(res.error.message, folder).toMatch(/Exports from the browser go into a new folder/);
      }
      expect((await tryReport(path.join(root, 'used'))).error.message).toMatch(/not empty/);
      // Allowed by the policy, so the export itself answers: there is no run 1.
      expect((await tryReport(path.join(root, 'fresh'))).error.code).toBe('not-found');
    } finally {
      await work.cleanup();
    }
  });

  it('lists at most 1000 skipped files in datasets:get, with the total', async () => {
    const work = tempDir('studio-outside-');
    try {
      const root = path.join(work.dir, 'home');
      await writeFile(root, 'a.png', await pngBytes(1));
      await Promise.all(
        Array.from({ length: 1005 }, (_, i) => writeFile(root, `notes/${i}.bin`, 'x')),
      );
      studio = await startTestServer({ roots: [root] });
      const imported = (await pageCall(studio, 'datasets:importFolder', {
        path: root,
        kind: 'image',
      })) as {
        value: { dataset: { id: number; skippedTotal: number; skipped: unknown[] } };
      };
      expect(imported.value.dataset.skippedTotal).toBe(1005);
      const got = (await pageCall(studio, 'datasets:get', {
        datasetId: imported.value.dataset.id,
      })) as {
        value: { skipped: unknown[]; skippedTotal: number };
      };
      expect(got.value.skipped).toHaveLength(1000);
      expect(got.value.skippedTotal).toBe(1005);
    } finally {
      await work.cleanup();
    }
  });
});
