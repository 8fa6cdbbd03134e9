import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/random';
import { nearestNeighbours } from '../index/knn';
import { auditItem } from '../testing/auditKit';
import { NO_CONTROL } from '../types';
import { inThreadClassifier } from '../testing/auditKit';
import { labelErrorFindings } from './labelErrors';
import { labelTrust } from './labelTrust';

const CLASSES = 4;
const PER_CLASS = 100;
const DIM = 6;

/** Four well-separated Gaussian clusters; `labelOf` decides what each point is filed as. */
async function clusters(seed: number, labelOf: (trueClass: number, i: number) => number) {
  const random = seededRandom(seed);
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const n = CLASSES * PER_CLASS;
  const embedding = new Float32Array(n * DIM);
  const items = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / PER_CLASS);
    for (let d = 0; d < DIM; d++) embedding[i * DIM + d] = (d === c ? 4 : 0) + gauss() * 0.3;
    items.push(auditItem(i + 1, { label: String(labelOf(c, i)) }));
  }
  const neighbours = await nearestNeighbours(embedding, n, DIM, 8, NO_CONTROL);
  const rows = items.map((_, i) => i);
  return { items, rows, embedding, dim: DIM, neighbours };
}

describe('the label-error trust gate', () => {
  it('gives a dataset with random labels one notice, not a flood of label errors', async () => {
    const random = seededRandom(7);
    const input = await clusters(1, () => Math.floor(random() * CLASSES));
    const result = await labelErrorFindings(input, NO_CONTROL, inThreadClassifier);
    expect(result.findings.length).toBeLessThanOrEqual(0.02 * input.items.length);
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]?.message).toMatch(
      /^Labels could not be checked: the content predicts the folder for \d+% of items \(chance \d+%\)\.$/,
    );
  }, 60_000);

  it('still reports the label errors of a learnable dataset, each with its confidence', async () => {
    // About one item in 25 is filed in another (random) class.
    const flipped = new Set<number>();
    const random = seededRandom(3);
    const input = await clusters(2, (c, i) => {
      if (random() >= 0.04) return c;
      flipped.add(i + 1);
      return (c + 1 + Math.floor(random() * (CLASSES - 1))) % CLASSES;
    });
    const result = await labelErrorFindings(input, NO_CONTROL, inThreadClassifier);
    expect(result.notices).toEqual([]);
    const found = result.findings.map((f) => f.members[0]?.itemId as number);
    const hits = found.filter((id) => flipped.has(id)).length;
    expect(hits / flipped.size).toBeGreaterThanOrEqual(0.8);
    expect(hits / Math.max(1, found.length)).toBeGreaterThanOrEqual(0.8);
    const first = result.findings[0]?.evidence.confidence as { level: string; why: string };
    expect(first.level).toBe('high');
    expect(first.why).toMatch(/out of fold/);
  }, 60_000);

  it('checks a folder it cannot learn only where its items plainly belong to a checked one', async () => {
    // Four clusters filed correctly, and a folder "e" of seven items: three of its own, between
    // the clusters, and four of cluster 0's. Its recall is 3 in 7 at best, so the gate fails it;
    // the four still look like cluster 0 as surely as cluster 0's own items do.
    const random = seededRandom(9);
    const gauss = (): number =>
      Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const n = CLASSES * PER_CLASS + 7;
    const embedding = new Float32Array(n * DIM);
    const items = [];
    const misfiled = new Set<number>();
    const own = new Set<number>();
    for (let i = 0; i < n; i++) {
      const extra = i - CLASSES * PER_CLASS;
      const c = extra < 0 ? Math.floor(i / PER_CLASS) : extra < 4 ? 0 : -1;
      for (let d = 0; d < DIM; d++)
        embedding[i * DIM + d] = (c < 0 ? (d < CLASSES ? 2 : 0) : d === c ? 4 : 0) + gauss() * 0.3;
      if (extra >= 0) (c === 0 ? misfiled : own).add(i + 1);
      items.push(auditItem(i + 1, { label: extra >= 0 ? 'e' : String(c) }));
    }
    const neighbours = await nearestNeighbours(embedding, n, DIM, 8, NO_CONTROL);
    const rows = items.map((_, i) => i);
    const result = await labelErrorFindings(
      { items, rows, embedding, dim: DIM, neighbours },
      NO_CONTROL,
      inThreadClassifier,
    );
    expect(result.notices[0]?.evidence.uncheckedClasses).toEqual(['e']);
    const found = result.findings.map((f) => f.members[0]?.itemId as number);
    expect(found.filter((id) => own.has(id))).toEqual([]);
    const caught = result.findings.filter((f) => misfiled.has(f.members[0]?.itemId as number));
    expect(caught.length).toBeGreaterThanOrEqual(3);
    for (const f of caught) {
      expect(f.suggestedLabel).toBe('0');
      // What the folder's own items look like is unknown: never 'high'.
      expect((f.evidence.confidence as { level: string }).level).not.toBe('high');
    }
  }, 60_000);

  it('keeps the classes it can predict and names the ones it cannot', () => {
    // Classes a and b are told apart perfectly; c and d are coin flips between each other.
    const labels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    const p = new Float32Array(16 * 4);
    labels.forEach((y, i) => {
      if (y < 2) p[i * 4 + y] = 0.95;
      else p[i * 4 + (i % 2 === 0 ? 2 : 3)] = 0.95;
      for (let c = 0; c < 4; c++) if (p[i * 4 + c] === 0) p[i * 4 + c] = 0.05 / 3;
    });
    const trust = labelTrust(p, labels, ['a', 'b', 'c', 'd']);
    expect(trust.classes.map((c) => c.reliable)).toEqual([true, true, false, false]);
    expect(trust.notice?.message).toMatch(
      /^Labels in 2 of 4 folders could not be checked, because the content does not tell them apart from the others well enough: "c" \(of the items the content puts in it, only 50% are filed there\); "d" \(of the items the content puts in it, only 50% are filed there\)\. The other 2 folders were checked; in the others, an item is reported only when it looks as surely like a checked folder's as that folder's own items do\.$/,
    );
  });
});
