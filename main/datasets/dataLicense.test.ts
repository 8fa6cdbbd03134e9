import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { cardLicense, findDataLicense, titleLine } from './dataLicense';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe('the license a dataset folder declares', () => {
  it("reads a dataset card's front matter before a license file", async () => {
    writeFileSync(path.join(dir, 'LICENSE'), 'MIT License\n\nCopyright (c) 2026 someone\n');
    writeFileSync(path.join(dir, 'README.md'), '---\nlicense: cc-by-4.0\ntags: [digits]\n---\n');
    expect(await findDataLicense(dir)).toEqual({
      name: 'cc-by-4.0',
      file: path.join(dir, 'README.md'),
    });
  });

  it("takes a license file's title when the card says nothing", async () => {
    writeFileSync(path.join(dir, 'README.md'), '# Digits\nHand-drawn digits.\n');
    writeFileSync(path.join(dir, 'LICENSE.txt'), '\n   Apache License\n   Version 2.0\n');
    expect(await findDataLicense(dir)).toEqual({
      name: 'Apache License',
      file: path.join(dir, 'LICENSE.txt'),
    });
  });

  it('knows none for a folder without one, a missing folder, or a folder named LICENSE', async () => {
    expect(await findDataLicense(dir)).toBeNull();
    expect(await findDataLicense(path.join(dir, 'gone'))).toBeNull();
    mkdirSync(path.join(dir, 'LICENSE'));
    expect(await findDataLicense(dir)).toBeNull();
  });

  it('reads list and quoted card values, and refuses a first line that is a paragraph', () => {
    expect(cardLicense('---\nlicense:\n  - "cc0-1.0"\n---\n')).toBe('cc0-1.0');
    expect(cardLicense("---\nLicense: 'mit'\n---")).toBe('mit');
    expect(cardLicense('license: mit')).toBeNull();
    expect(titleLine(`${'Permission is hereby granted '.repeat(10)}\n`)).toBeNull();
    expect(titleLine('==========\nThe MIT License (MIT)\n')).toBe('The MIT License (MIT)');
  });
});
