import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/random';
import { looseText } from '../text/textFeatures';
import { tfidfRows } from '../text/wordFeatures';
import { outOfFoldSparseLogistic } from './sparseLogistic';

const TOPICS = [
  'commit branch merge rebase repository remote push pull tag checkout',
  'certificate key cipher signature encrypt decrypt digest tls ssl pem',
  'table index query column database vacuum schema backup restore role',
  'package install remove dependency archive version upgrade control file',
];
const FILLER = 'the a of to and in is for with this that on by it be can or as';

/** Short texts, each with a few words of its topic among common ones. */
function corpus(count: number, seed: number): { texts: string[]; topics: number[] } {
  const random = seededRandom(seed);
  const pick = (words: string[]) => words[Math.floor(random() * words.length)] as string;
  const texts: string[] = [];
  const topics: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = i % TOPICS.length;
    const topic = (TOPICS[t] as string).split(' ');
    const filler = FILLER.split(' ');
    const words = Array.from({ length: 20 }, () => (random() < 0.3 ? pick(topic) : pick(filler)));
    texts.push(looseText(words.join(' ')));
    topics.push(t);
  }
  return { texts, topics };
}

describe('out-of-fold sparse logistic regression', () => {
  it('learns topics from words and gives a relabelled text a low probability for its label', async () => {
    const { texts, topics } = corpus(400, 1);
    const labels = Int32Array.from(topics);
    // Ten texts filed under the next topic: out of fold, the model should disagree with them.
    const flipped = Array.from({ length: 10 }, (_, i) => i * 37);
    for (const r of flipped) labels[r] = ((topics[r] as number) + 1) % TOPICS.length;
    const { rows, columns } = tfidfRows(texts);
    const p = await outOfFoldSparseLogistic(rows, columns, labels, TOPICS.length);
    let right = 0;
    for (let r = 0; r < texts.length; r++) {
      const row = Array.from(p.subarray(r * 4, r * 4 + 4));
      if (row.indexOf(Math.max(...row)) === topics[r]) right++;
    }
    expect(right / texts.length).toBeGreaterThan(0.95);
    for (const r of flipped) expect(p[r * 4 + (labels[r] as number)]).toBeLessThan(0.1);
  });

  it('learns nothing from labels drawn at random', async () => {
    const { texts } = corpus(400, 2);
    const random = seededRandom(3);
    const labels = Int32Array.from(texts, () => Math.floor(random() * 4));
    const { rows, columns } = tfidfRows(texts);
    const p = await outOfFoldSparseLogistic(rows, columns, labels, 4);
    let right = 0;
    for (let r = 0; r < texts.length; r++) {
      const row = Array.from(p.subarray(r * 4, r * 4 + 4));
      if (row.indexOf(Math.max(...row)) === labels[r]) right++;
    }
    expect(right / texts.length).toBeLessThan(0.35);
  });
});
