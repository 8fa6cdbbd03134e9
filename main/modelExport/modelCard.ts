// model-card.md: what someone given the folder needs to know before using the model — what it is,
// how it was configured and trained, on which data, how well it did, and under what terms.

import type { RunDetail } from '../../preload/contract';
import type { DataLicense } from '../datasets/dataLicense';

export interface ModelCardInput {
  run: RunDetail;
  step: number;
  /** Which of the run's checkpoints was exported. */
  checkpoint: 'latest' | 'best';
  config: unknown;
  exportedAt: string;
  /** What the dataset's folder declares (license file or card), null when it declares nothing. */
  dataLicense: DataLicense | null;
}

const figure = (value: number): string =>
  Number.isInteger(value) ? String(value) : value.toPrecision(4);

export function modelCard({
  run,
  step,
  checkpoint,
  config,
  exportedAt,
  dataLicense,
}: ModelCardInput): string {
  const metrics = Object.entries(run.metricSummary).sort(([a], [b]) => a.localeCompare(b));
  const kind = run.family === 'char-rnn' || run.family === 'char-gpt' ? 'text' : 'image';
  return [
    `# ${run.name ?? `Run ${run.id}`}: ${run.family} (step ${step})`,
    '',
    `A ${kind} model trained in Generative Studio and exported as a TensorFlow.js graph model.`,
    '',
    '## Model',
    `- Family: ${run.family} (preset ${run.presetId})`,
    `- Checkpoint: step ${step} of ${run.totalSteps} (the run's ${checkpoint} checkpoint), run status ${run.status}`,
    `- Trained on: ${run.backend ?? 'unknown'} backend; exported ${exportedAt}`,
    '- Files: model.json + group1-shard1of1.bin (tf.loadGraphModel), studio-model.json (inputs, ' +
      'outputs, vocabulary or image shape), generate.mjs (the studio\u2019s seeded sampling), ' +
      'load-node.mjs (plain Node), example.mjs',
    '',
    '## Resolved config',
    '```json',
    JSON.stringify(config, null, 2),
    '```',
    '',
    '## Data',
    `- Dataset: ${run.datasetName} (id ${run.datasetId}), version ${run.versionNumber} (version id ${run.versionId})`,
    `- Audit score of that version: ${run.versionAuditScore === null ? 'not audited' : figure(run.versionAuditScore)}`,
    dataLicense
      ? `- License of the data: ${dataLicense.name} (as ${dataLicense.file} declares). The ` +
        'model reflects its training data; those terms may bind what it generates too.'
      : '- License of the data: not known (the imported folder has no LICENSE file or dataset ' +
        'card saying it). The model reflects its training data; check the terms of the ' +
        'dataset\u2019s source files before sharing or deploying it.',
    '',
    '## Metrics of the run',
    ...(metrics.length === 0
      ? ['No metrics were recorded.']
      : [
          '| metric | final | best |',
          '|---|---|---|',
          ...metrics.map(
            ([name, m]) =>
              `| ${name} | ${figure(m.final)} | ${figure(m.best)} (${m.better} is better) |`,
          ),
        ]),
    '',
    '## Use',
    '```sh',
    'npm install @tensorflow/tfjs && node example.mjs',
    '```',
    'The same seed and options in generate.mjs give the samples the studio gives.',
    '',
  ].join('\n');
}
