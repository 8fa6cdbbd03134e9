import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, writeFile } from '../../testing/fixtures';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const STUDIO_BIN = path.join(REPO, 'bin', 'studio.js');

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

describe('studio import (the built CLI)', () => {
  it('takes the text options and a labels file, and keeps its --json fields', async () => {
    if (!existsSync(path.join(REPO, 'out', 'main', 'cli.js'))) {
      throw new Error('The built CLI is missing: run `npm run build` first.');
    }
    const t = tempDir();
    cleanup = t.cleanup;
    const src = path.join(t.dir, 'corpus');
    await writeFile(src, 'a.txt', 'one\ntwo\n');
    await writeFile(src, 'b.jsonl', '{"body":"three"}\nnot json\n');
    await writeFile(src, 'c.csv', 'id,quote\n1,four\n');
    await writeFile(t.dir, 'labels.csv', 'a.txt,plain\nb.jsonl,json\n');
    const run = (extra: string[]) =>
      spawnSync(
        process.execPath,
        [STUDIO_BIN, '--data-dir', path.join(t.dir, 'data'), 'import', src, '--json', ...extra],
        { encoding: 'utf8' },
      );
    const options = [
      '--kind',
      'text',
      '--text-unit',
      'line',
      '--jsonl-field',
      'body',
      '--csv-column',
      'quote',
      '--labels',
      path.join(t.dir, 'labels.csv'),
    ];
    const result = run(options);
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      datasetId: 1,
      kind: 'text',
      importedCount: 4,
      alreadyImported: false,
      classes: { plain: 2, json: 1, '(unlabeled)': 1 },
      skipped: [{ sourcePath: path.join(src, 'b.jsonl#L2'), reason: 'line 2 not valid JSON' }],
    });
    expect(JSON.parse(run(options).stdout)).toMatchObject({ datasetId: 1, alreadyImported: true });

    const wrong = run(['--text-unit', 'sentence']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/Allowed choices are file, line, paragraph/);
  });
});
