import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pngBytes, writeFile } from '../../testing/fixtures';
import { importFolder } from './importFolder';
import { importKit, reasonsByName, type ImportKit } from '../testing/importKit';

let kit: ImportKit;
beforeEach(() => {
  kit = importKit();
});
afterEach(() => kit.close());

async function itemsOf(versionId: number) {
  const page = kit.deps.repository.items(versionId, 0, 1000);
  return Promise.all(
    page.items.map(async (i) => ({
      path: path.relative(kit.dir, i.sourcePath),
      label: i.label,
      format: i.format,
      text: (await kit.deps.blobs.read(i.blobSha)).toString('utf8'),
      chars: i.width,
    })),
  );
}

describe('importFolder (text)', () => {
  it('imports .txt and .md one item per file by default; the majority makes it text', async () => {
    const src = path.join(kit.dir, 'poems');
    await writeFile(src, 'haiku/a.txt', 'old pond\nfrog leaps in\n');
    await writeFile(src, 'haiku/b.md', '# Title\n\nwater’s sound');
    await writeFile(src, 'sonnet/c.txt', 'Shall I compare thee');
    await writeFile(src, 'sonnet/cover.png', await pngBytes(1));
    const report = await importFolder(kit.deps, src);
    expect(report.dataset.kind).toBe('text');
    expect(report.importedCount).toBe(3);
    expect(reasonsByName(report.skipped)).toEqual({
      'cover.png': 'an image; this dataset is text',
    });
    const items = await itemsOf(report.dataset.latestVersionId);
    expect(items.find((i) => i.path.endsWith('b.md'))).toMatchObject({
      label: 'haiku',
      format: 'md',
      text: '# Title\n\nwater’s sound',
      chars: 22,
    });
  });

  it('an explicit kind wins over the majority', async () => {
    const src = path.join(kit.dir, 'mostly-text');
    await writeFile(src, 'a.txt', 'a');
    await writeFile(src, 'b.txt', 'b');
    await writeFile(src, 'c.png', await pngBytes(1));
    const report = await importFolder(kit.deps, src, { settings: { kind: 'image' } });
    expect(report.dataset.kind).toBe('image');
    expect(report.importedCount).toBe(1);
    expect(report.skipped.map((s) => s.reason)).toEqual([
      'not an image (a .txt text file; this dataset is images)',
      'not an image (a .txt text file; this dataset is images)',
    ]);
  });

  it('splits per line and per paragraph, each item pointing at its line', async () => {
    const src = path.join(kit.dir, 'corpus');
    await writeFile(src, 'book.txt', 'One.\nTwo.\n\nThree,\nstill three.\n');
    const lines = await importFolder(kit.deps, src, { settings: { textUnit: 'line' } });
    expect((await itemsOf(lines.dataset.latestVersionId)).map((i) => [i.path, i.text])).toEqual([
      ['corpus/book.txt#L1', 'One.'],
      ['corpus/book.txt#L2', 'Two.'],
      ['corpus/book.txt#L4', 'Three,'],
      ['corpus/book.txt#L5', 'still three.'],
    ]);
    const paragraphs = await importFolder(kit.deps, src, { settings: { textUnit: 'paragraph' } });
    expect(paragraphs.dataset.id).not.toBe(lines.dataset.id);
    expect((await itemsOf(paragraphs.dataset.latestVersionId)).map((i) => i.text)).toEqual([
      'One.\nTwo.',
      'Three,\nstill three.',
    ]);
  });

  it('reads a chosen CSV column and a chosen JSONL field, reporting bad rows by line', async () => {
    const src = path.join(kit.dir, 'tables');
    await writeFile(
      src,
      'reviews.csv',
      'id,review,stars\n1,"Great, really",5\n2\n3,"Two\nlines",4\n',
    );
    await writeFile(
      src,
      'chat.jsonl',
      '{"msg":{"body":"hi"}}\n{broken\n\n{"msg":{"body":"bye"}}\n',
    );
    const report = await importFolder(kit.deps, src, {
      settings: { csvColumn: 'review', jsonlField: 'msg.body' },
    });
    const items = await itemsOf(report.dataset.latestVersionId);
    expect(items.map((i) => [i.path, i.text]).sort()).toEqual([
      ['tables/chat.jsonl#L1', 'hi'],
      ['tables/chat.jsonl#L4', 'bye'],
      ['tables/reviews.csv#L2', 'Great, really'],
      ['tables/reviews.csv#L4', 'Two\nlines'],
    ]);
    expect(report.skipped.map((s) => [path.basename(s.sourcePath), s.reason]).sort()).toEqual([
      ['chat.jsonl#L2', 'line 2 not valid JSON'],
      ['reviews.csv#L3', 'row has 1 fields, no "review"'],
    ]);
  });

  it('skips a CSV whose text column is not chosen and cannot be guessed', async () => {
    const src = path.join(kit.dir, 'csv');
    await writeFile(src, 'data.csv', 'id,body\n1,x\n');
    await writeFile(src, 'notes.txt', 'fine');
    const report = await importFolder(kit.deps, src);
    expect(reasonsByName(report.skipped)).toEqual({
      'data.csv': 'CSV has 2 columns ("id", "body"); choose the text column (CSV column setting)',
    });
  });

  it('detects encodings, notes Latin-1 and UTF-16, and skips binary and blank files', async () => {
    const src = path.join(kit.dir, 'encodings');
    await writeFile(src, 'utf8.txt', 'naïve');
    await writeFile(src, 'latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await writeFile(
      src,
      'utf16.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('naïve', 'utf16le')]),
    );
    await writeFile(src, 'blob.txt', Buffer.from([0, 1, 2, 3, 0, 0, 0, 7]));
    await writeFile(src, 'blank.txt', '\n\n  \n');
    const report = await importFolder(kit.deps, src);
    const items = await itemsOf(report.dataset.latestVersionId);
    expect(items.map((i) => i.text).sort()).toEqual(['café', 'naïve', 'naïve']);
    expect(reasonsByName(report.notes)).toEqual({
      'latin1.txt': 'decoded as Latin-1 (not valid UTF-8)',
      'utf16.txt': 'decoded as UTF-16 (little-endian)',
    });
    expect(reasonsByName(report.skipped)).toEqual({
      'blob.txt': expect.stringMatching(/^binary file/),
      'blank.txt': 'no text in it (only blank lines)',
    });
  });
});

describe('importFolder: a labels file instead of folders', () => {
  it('labels by path, leaves unlisted files unlabeled and does not import the labels file', async () => {
    const src = path.join(kit.dir, 'flat');
    await writeFile(src, 'x/1.png', await pngBytes(1));
    await writeFile(src, 'x/2.png', await pngBytes(2));
    await writeFile(src, '3.png', await pngBytes(3));
    await writeFile(src, 'labels.csv', 'path,label\nx/1.png,cat\n./3.png,dog\n');
    const report = await importFolder(kit.deps, src, { settings: { labelsFile: 'labels.csv' } });
    expect(report.dataset.classes).toEqual([
      { label: 'cat', count: 1 },
      { label: 'dog', count: 1 },
      { label: null, count: 1 },
    ]);
    expect(reasonsByName(report.skipped)).toEqual({
      'labels.csv': 'the labels file of this import',
    });
  });

  it('refuses a labels file it cannot read or understand, before importing anything', async () => {
    const src = path.join(kit.dir, 'flat');
    await writeFile(src, '1.png', await pngBytes(1));
    await writeFile(kit.dir, 'bad.csv', 'path,label\nsecret-token-1234\n');
    const refused = importFolder(kit.deps, src, {
      settings: { labelsFile: path.join(kit.dir, 'bad.csv') },
    });
    await expect(refused).rejects.toThrow(/line 2: expected "path,label".*found one field/);
    // The file's content never travels back in the message: it could be any file.
    await expect(refused).rejects.not.toThrow(/secret-token/);
    await expect(
      importFolder(kit.deps, src, { settings: { labelsFile: 'missing.csv' } }),
    ).rejects.toThrow(/cannot be read/);
    expect(kit.db.prepare('SELECT COUNT(*) AS n FROM datasets').get()).toEqual({ n: 0 });
  });
});
