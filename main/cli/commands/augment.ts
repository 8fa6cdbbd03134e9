import type { Command } from 'commander';
import { call, CliFailure, positiveInt, print, withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { starredSampleIds } from './samples';

// "Generate to augment" on the command line: generated samples become synthetic items of a new
// version of their run's dataset, through the same calls as the gallery's "Add to dataset".

interface AddToDatasetOptions {
  run?: number;
  samples?: string;
  starred?: boolean;
  class?: string;
  json?: boolean;
}

export function registerAddToDataset(program: Command, ctx: CliContext): void {
  program
    .command('add-to-dataset')
    .description(
      "add generated samples to a new version of their run's dataset, marked synthetic with their provenance",
    )
    .option('--run <id>', 'the run whose starred samples to add', positiveInt)
    .option('--samples <ids>', 'comma-separated sample ids (instead of the starred ones)')
    .option('--starred', "the run's starred samples (the default)")
    .option(
      '--class <label>',
      'the class for samples of an unconditional model (conditional ones keep the class asked for)',
    )
    .option('--json', 'print the result as JSON')
    .action((opts: AddToDatasetOptions) =>
      withCore(ctx, async (core) => {
        let sampleIds: number[];
        if (opts.samples) {
          sampleIds = opts.samples.split(',').map((s) => positiveInt(s.trim()));
        } else {
          if (opts.run === undefined) {
            throw new CliFailure(
              {
                code: 'invalid-input',
                message: 'Name the run (--run N) or the samples (--samples 1,2).',
              },
              EXIT.usage,
            );
          }
          sampleIds = await starredSampleIds(core, opts.run);
          if (sampleIds.length === 0) {
            throw new CliFailure(
              {
                code: 'not-found',
                message: `Run ${opts.run} has no starred samples (star them in the gallery with s, or pass --samples).`,
              },
              EXIT.notFound,
            );
          }
        }
        const plan = await call(core, 'samples:augmentPlan', { sampleIds });
        const unclassed = plan.samples.filter((s) => s.needsClass).length;
        if (unclassed > 0 && opts.class === undefined) {
          throw new CliFailure(
            {
              code: 'invalid-input',
              message:
                `${unclassed} of the samples come from a model that was not asked for a class: ` +
                `pass --class with one of ${plan.classes.map((c) => `${c.label} (${c.count})`).join(', ')}` +
                (plan.suggestedClass === null
                  ? '.'
                  : ` (the evaluation's feature classifier suggests ${plan.suggestedClass}).`),
            },
            EXIT.usage,
          );
        }
        const result = await call(core, 'samples:addToDataset', {
          sampleIds,
          baseVersionId: plan.baseVersionId,
          ...(opts.class !== undefined ? { defaultClass: opts.class } : {}),
        });
        print(Boolean(opts.json), result, () => {
          const perClass = result.perClass
            .map((c) => `${c.label ?? 'unlabeled'} ${c.count}`)
            .join(', ');
          return (
            `"${plan.datasetName}" v${result.version.number}: ${result.version.itemCount} items, ` +
            `${result.version.syntheticCount} synthetic (${perClass}).\n` +
            `Train with them: studio train --dataset ${plan.datasetId} --model <preset>; ` +
            'without them: add --no-synthetic.'
          );
        });
      }),
    );
}
