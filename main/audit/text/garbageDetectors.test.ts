import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/random';
import { auditItem } from '../testing/auditKit';
import { encodedGarbageFindings, garbageKind, garbageMeasures } from './garbageDetectors';
import { mashFindings } from './keyboardMash';
import { textFeatures } from './textFeatures';

/** Real prose: sentences of the README, the architecture notes and the Apache licence TypeScript ships (not written for this test). */
// Real English prose that the lockfile pins (the project's own README changes every session and
// once held a sentence made mostly of figures, which is not what this test is about).
function readmeSentences(): string[] {
  const text = ['node_modules/commander/Readme.md', 'node_modules/typescript/LICENSE.txt']
    .map((f) => readFileSync(path.resolve(process.cwd(), f), 'utf8'))
    .join('\n');
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length >= 40 && /^[A-Z]/.test(s) && !/[|`]/.test(s))
    .slice(0, 80);
}

describe('encoded blobs and mixed-alphabet mojibake', () => {
  const random = seededRandom(11);
  const bytes = Buffer.from(Array.from({ length: 300 }, () => Math.floor(random() * 256)));

  it('calls base64 and hex blobs what they are, and ordinary prose nothing', () => {
    expect(garbageKind(garbageMeasures(bytes.toString('base64')))).toBe('base64-blob');
    expect(garbageKind(garbageMeasures(bytes.toString('hex')))).toBe('hex-blob');
    const wrapped = bytes.toString('base64').replace(/(.{76})/g, '$1\n');
    expect(garbageKind(garbageMeasures(wrapped))).toBe('base64-blob');
    for (const sentence of readmeSentences())
      expect(garbageKind(garbageMeasures(sentence))).toBe(null);
  });

  it('finds Cyrillic read as Windows-1251 and words mixing alphabets', () => {
    const russian = 'Привет, как дела? Сегодня хорошая погода, и мы идём гулять в парк.';
    const asCp1251 = new TextDecoder('windows-1251').decode(Buffer.from(russian, 'utf8'));
    expect(garbageKind(garbageMeasures(asCp1251))).toBe('mixed-script');
    expect(garbageKind(garbageMeasures(russian))).toBe(null);
    const items = [auditItem(1), auditItem(2)];
    const findings = encodedGarbageFindings(items, [
      textFeatures(asCp1251).garbage,
      textFeatures(russian).garbage,
    ]);
    expect(findings.map((f) => [f.members[0]?.itemId, f.detail])).toEqual([[1, 'mixed-script']]);
  });
});

describe('keyboard mash against the corpus model', () => {
  it('flags mash among real sentences and none of the sentences', () => {
    const sentences = readmeSentences();
    expect(sentences.length).toBeGreaterThanOrEqual(30);
    const random = seededRandom(5);
    const keys = 'qwertyuiopasdfghjklzxcvbnm';
    const mash = Array.from({ length: 3 }, () =>
      Array.from({ length: 8 }, () =>
        Array.from({ length: 3 + Math.floor(random() * 6) }, () =>
          keys.charAt(Math.floor(random() * keys.length)),
        ).join(''),
      ).join(' '),
    );
    const texts = [...sentences, ...mash];
    const items = texts.map((_, i) => auditItem(i + 1));
    const found = mashFindings(
      items,
      texts.map((t) => textFeatures(t)),
    );
    expect(found.map((f) => f.members[0]?.itemId).sort()).toEqual(
      mash.map((_, k) => sentences.length + k + 1),
    );
  });
});
