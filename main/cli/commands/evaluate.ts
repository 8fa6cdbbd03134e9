import type { Command } from 'commander';
import type { RunEvaluation } from '../../../preload/contract';
import { call, positiveInt, print, withCore, type CliContext } from '../context';

// `studio evaluate`: judge a run's checkpoint (realism, diversity, memorisation, cost) and store
// the figures in its metrics, as the run view's Evaluate button does.

interface EvaluateCommandOptions {
  run: number;
  step?: number;
  json?: boolean;
}

const round = (value: number): string =>
  Number.isInteger(value) ? String(value) : value.toPrecision(4);

function describe(evaluation: RunEvaluation): string {
  const lines = [
    `Run ${evaluation.runId} at step ${evaluation.step}: ${evaluation.sampleCount} ${evaluation.kind} samples, seed ${evaluation.seed}`,
    ...Object.entries(evaluation.metrics).map(([name, value]) => `  ${name}: ${round(value)}`),
  ];
  if (evaluation.missingClasses.length > 0) {
    lines.push(`  classes the samples miss: ${evaluation.missingClasses.join(', ')}`);
  }
  const { cost } = evaluation;
  lines.push(
    `  cost: ${cost.parameters} parameters, ${cost.backend}${cost.threads ? ` × ${cost.threads} threads` : ''}, ` +
      `${round(cost.msPerSample)} ms per sample` +
      (cost.msPerCharacter === null ? '' : `, ${round(cost.msPerCharacter)} ms per character`) +
      (cost.stepsPerSecond === null ? '' : `, ${round(cost.stepsPerSecond)} training steps/s`) +
      `, evaluated in ${round(cost.evaluationSeconds)} s`,
  );
  return lines.join('\n');
}

export function registerEvaluate(program: Command, ctx: CliContext): void {
  program
    .command('evaluate')
    .description("judge a run's newest checkpoint: realism, diversity, memorisation and cost")
    .requiredOption('--run <id>', 'the run to evaluate', positiveInt)
    .option('--step <n>', "the checkpoint's step (runs keep only their newest)", positiveInt)
    .option('--json', 'print the evaluation as JSON')
    .action((opts: EvaluateCommandOptions) =>
      withCore(ctx, async (core) => {
        const evaluation = await call(core, 'runs:evaluate', {
          runId: opts.run,
          ...(opts.step === undefined ? {} : { step: opts.step }),
        });
        print(Boolean(opts.json), evaluation, () => describe(evaluation));
      }),
    );
}
