import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MlHost } from '../../ml/host';
import { AuditCancelled, NO_CONTROL } from '../types';
import { workerClassifier } from './classifier';
import {
  findLabelIssues,
  inNoisyFolders,
  ruledOutLabels,
  type LabelIssue,
} from './confidentLearning';

describe('confident learning', () => {
  it('flags confidently contradicted labels and suggests the class the evidence points to', () => {
    // Rows 0–7 are class 0, 8–15 class 1; rows 3 and 12 were given the other label.
    const given = Int32Array.from({ length: 16 }, (_, i) => (i < 8 ? 0 : 1));
    given[3] = 1;
    given[12] = 0;
    const probabilities = new Float32Array(32);
    for (let i = 0; i < 16; i++) {
      const trueClass = i < 8 ? 0 : 1;
      probabilities[i * 2 + trueClass] = 0.9;
      probabilities[i * 2 + (1 - trueClass)] = 0.1;
    }
    const issues = findLabelIssues(probabilities, given, 2);
    expect(issues.map((i) => [i.row, i.given, i.suggested]).sort()).toEqual([
      [12, 0, 1],
      [3, 1, 0],
    ]);
  });

  it('flags nothing when the model agrees with every label, even unsurely', () => {
    const given = Int32Array.from({ length: 10 }, (_, i) => i % 2);
    const probabilities = new Float32Array(20);
    for (let i = 0; i < 10; i++) {
      probabilities[i * 2 + (i % 2)] = 0.55;
      probabilities[i * 2 + 1 - (i % 2)] = 0.45;
    }
    expect(findLabelIssues(probabilities, given, 2)).toEqual([]);
  });
});

describe('labels the evidence rules out', () => {
  it('names the rows whose label gets almost no probability while another class leads', () => {
    // Rows 0 and 1 give their label 0.02 and another class more (row 1: a tie, the first
    // wins); row 2 gives its label 0.2 (unsure, not ruled out); row 3 agrees with its label.
    const given = Int32Array.from([0, 1, 2, 0]);
    const probabilities = Float32Array.from([
      ...[0.02, 0.9, 0.08],
      ...[0.49, 0.02, 0.49],
      ...[0.1, 0.7, 0.2],
      ...[0.9, 0.05, 0.05],
    ]);
    const issues = ruledOutLabels(probabilities, given, 3, 0.03);
    expect(issues.map((i) => [i.row, i.given, i.suggested])).toEqual([
      [0, 0, 1],
      [1, 1, 0],
    ]);
    expect(issues[0]?.selfConfidence).toBeCloseTo(0.02);
    expect(issues[0]?.margin).toBeCloseTo(0.88);
  });
});

describe('ruled-out labels only where confident learning found noise', () => {
  const issue = (row: number, given: number, suggested: number): LabelIssue => ({
    row,
    given,
    suggested,
    selfConfidence: 0.01,
    margin: 0.5,
  });
  it('keeps ruled-out rows of a folder with a proposed error, and drops those of clean folders', () => {
    // Confident learning proposed row 4 (filed as 0); the evidence also rules out rows 4 and 7
    // (filed as 0) and row 9 (filed as 2, a folder where it found no noise).
    const proposed = [issue(4, 0, 1)];
    const ruledOut = [issue(4, 0, 1), issue(7, 0, 2), issue(9, 2, 1)];
    expect(inNoisyFolders(ruledOut, proposed).map((i) => i.row)).toEqual([7]);
  });
  it('adds nothing when confident learning found no noise at all', () => {
    expect(inNoisyFolders([issue(1, 0, 1), issue(2, 1, 0)], [])).toEqual([]);
  });
});

describe('the label classifier in the ML worker', () => {
  // A worker thread cannot load the TypeScript sources, so this runs against the build.
  const builtWorker = fileURLToPath(new URL('../../../out/main/mlWorker.js', import.meta.url));
  let host: MlHost | null = null;
  afterAll(async () => {
    await host?.close();
  });

  it('answers with probabilities, leaves the caller its arrays, and stops when the audit is cancelled', async () => {
    host = new MlHost({ workerPath: builtWorker });
    const classify = workerClassifier(host);
    const rows = 40;
    const features = Float32Array.from({ length: rows * 2 }, (_, i) =>
      i % 2 === Math.floor(i / 2 / 20) ? 3 : 0,
    );
    const labels = Int32Array.from({ length: rows }, (_, i) => (i < 20 ? 0 : 1));
    const phases: string[] = [];
    const control = { ...NO_CONTROL, progress: (phase: string) => phases.push(phase) };
    const probabilities = await classify({ features, labels, dim: 2, classes: 2 }, control);
    expect(probabilities).toHaveLength(rows * 2);
    expect(probabilities[0]).toBeGreaterThan(0.5); // row 0 is class 0
    expect(probabilities[39 * 2 + 1]).toBeGreaterThan(0.5); // row 39 is class 1
    expect(labels).toHaveLength(rows); // still the caller's, not transferred away
    expect(features).toHaveLength(rows * 2);
    expect(phases).toContain('labels');

    const abort = new AbortController();
    const cancelled = classify(
      { features, labels, dim: 2, classes: 2, options: { stepsPerFold: 10_000, batchSize: 8 } },
      { ...NO_CONTROL, progress: () => abort.abort(), signal: abort.signal },
    );
    await expect(cancelled).rejects.toBeInstanceOf(AuditCancelled);
  });
});
