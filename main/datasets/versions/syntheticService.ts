import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type {
  AddToDatasetArgs,
  AddToDatasetResult,
  AugmentPlan,
  AugmentPlanSample,
  GallerySample,
  SyntheticClassSource,
  VersionSummary,
} from '../../../preload/contract';
import type { StudioEventBus } from '../../common/events';
import { notFound, StudioFailure } from '../../common/failure';
import { sha256, type BlobStore } from '../../store/blobStore';
import type { ThumbnailStore } from '../../store/thumbnails';
import { classSuggestion, commonSuggestion } from './classSuggestion';
import { countChars } from './itemText';
import type { SplitRow } from './split';
import type { NewSyntheticItem, SyntheticRepository } from './syntheticRepository';
import type { VersionRepository } from './versionRepository';

export interface SyntheticServiceDeps {
  dataDir: string;
  versions: VersionRepository;
  synthetic: SyntheticRepository;
  blobs: BlobStore;
  thumbnails: ThumbnailStore;
  events: StudioEventBus;
  /** The gallery's samples by id with their files (missing ids left out). */
  samples: (sampleIds: readonly number[]) => (GallerySample & { filePath: string })[];
  /** A version's summary as every other call shows it. */
  summary: (datasetId: number, versionId: number) => VersionSummary;
}

type ChosenSample = GallerySample & { filePath: string };

/** A sample with the class its item gets and how that class was decided. */
interface Classed {
  sample: ChosenSample;
  label: string | null;
  classSource: SyntheticClassSource;
}

/**
 * "Generate to augment": generated samples become items of a new version of their run's dataset,
 * each marked synthetic with how it was drawn, so a starved class can be topped up. The original
 * versions are never touched; the new one holds the parent's items as they were (same labels and
 * split) plus the synthetic ones, which train only (validation stays real data).
 */
export class SyntheticService {
  constructor(private readonly deps: SyntheticServiceDeps) {}

  plan(sampleIds: readonly number[]): AugmentPlan {
    const { samples, datasetId } = this.chosen(sampleIds);
    const { versions, synthetic } = this.deps;
    const latest = versions.latest(datasetId);
    if (!latest) throw notFound(`Dataset ${datasetId}`);
    const classes = this.classesOf(latest.id);
    const labelled = classes.length > 0;
    const labels = new Set(classes.map((c) => c.label));
    const planned: AugmentPlanSample[] = samples.map((s) => {
      const needsClass = labelled && s.provenance.classLabel === null;
      return {
        sampleId: s.id,
        kind: s.kind,
        step: s.step,
        askedClass: s.provenance.classLabel,
        needsClass,
        alreadyAdded: synthetic.itemOfSample(datasetId, s.id) !== null,
        evaluated: s.evaluation !== null,
        suggestion: needsClass ? classSuggestion(s.evaluation, labels) : null,
      };
    });
    return {
      datasetId,
      datasetName: (samples[0] as ChosenSample).datasetName,
      baseVersionId: latest.id,
      baseVersionNumber: latest.number,
      nextVersionNumber: latest.number + 1,
      classes,
      // What the evaluation's feature classifier saw in the samples it judged; the person decides.
      suggestedClass: commonSuggestion(planned.map((s) => s.suggestion)),
      samples: planned,
    };
  }

  async addToDataset(args: AddToDatasetArgs): Promise<AddToDatasetResult> {
    const { samples, datasetId } = this.chosen(args.sampleIds);
    const { versions, synthetic } = this.deps;
    const kind = versions.datasetKind(datasetId);
    if (!kind) throw notFound(`Dataset ${datasetId}`);
    const latestBefore = versions.latest(datasetId);
    if (!latestBefore) throw notFound(`Dataset ${datasetId}`);
    const classed = this.classify(samples, this.classesOf(latestBefore.id), args);

    // Files are read and stored before the transaction (blobs are content-addressed: a blob
    // written for a version that then fails to commit is only swept later, never wrong).
    const fresh = classed.filter(
      ({ sample }) => synthetic.itemOfSample(datasetId, sample.id) === null,
    );
    const grey = kind === 'image' && versions.channelsIn(latestBefore.id).every((c) => c <= 2);
    const items = new Map<number, NewSyntheticItem>();
    for (const entry of fresh) {
      items.set(entry.sample.id, await this.itemOf(datasetId, kind, entry, grey));
    }

    const versionId = versions.writing(() => {
      const latest = versions.latest(datasetId);
      const base = args.baseVersionId ?? latestBefore.id;
      if (!latest || latest.id !== base || latest.id !== latestBefore.id) {
        throw new StudioFailure(
          'conflict',
          `The dataset changed meanwhile (it is at v${latest?.number ?? '?'} now). Reload it and try again.`,
          { latestVersionId: latest?.id ?? null },
        );
      }
      const parent = versions.rows(latest.id);
      const present = new Set(parent.map((row) => row.itemId));
      const added: SplitRow[] = [];
      for (const { sample, label } of classed) {
        const existing = synthetic.itemOfSample(datasetId, sample.id);
        const item = items.get(sample.id);
        const itemId = existing ?? (item ? synthetic.insert(item) : null);
        if (itemId === null || present.has(itemId)) continue;
        present.add(itemId);
        added.push({ itemId, label, split: 'train' });
      }
      if (added.length === 0) {
        throw new StudioFailure(
          'invalid-input',
          `These samples are already items of v${latest.number}, so no version was made.`,
        );
      }
      return versions.insertVersion(
        {
          datasetId,
          number: latest.number + 1,
          parentId: latest.id,
          undoOfId: null,
          note: noteOf(added, samples),
          preprocessing: latest.preprocessing,
        },
        [...parent, ...added],
      );
    });
    this.deps.events.emit('datasets:changed', { datasetId });
    const perClass = synthetic.perClass(versionId);
    return {
      version: this.deps.summary(datasetId, versionId),
      added: perClass.reduce((sum, c) => sum + c.count, 0),
      perClass,
    };
  }

  /** The samples, all of one dataset (a version belongs to one). */
  private chosen(sampleIds: readonly number[]): { samples: ChosenSample[]; datasetId: number } {
    const unique = [...new Set(sampleIds)];
    const samples = this.deps.samples(unique);
    if (samples.length < unique.length) {
      const found = new Set(samples.map((s) => s.id));
      const missing = unique.filter((id) => !found.has(id));
      throw notFound(`Sample${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}`);
    }
    const datasets = [...new Set(samples.map((s) => s.datasetId))];
    if (datasets.length === 0)
      throw new StudioFailure('invalid-input', 'Choose at least one sample.');
    if (datasets.length > 1) {
      throw new StudioFailure(
        'invalid-input',
        `The chosen samples come from runs on ${datasets.length} datasets; add the samples of one dataset at a time.`,
        { datasetIds: datasets },
      );
    }
    return { samples, datasetId: datasets[0] as number };
  }

  /** A version's named classes, smallest first: the starved ones are what a person tops up. */
  private classesOf(versionId: number): { label: string; count: number }[] {
    return this.deps.versions
      .classes(versionId)
      .filter((c): c is typeof c & { label: string } => c.label !== null)
      .map((c) => ({ label: c.label, count: c.count }))
      .sort((a, b) => a.count - b.count || a.label.localeCompare(b.label));
  }

  private classify(
    samples: readonly ChosenSample[],
    classes: readonly { label: string }[],
    args: AddToDatasetArgs,
  ): Classed[] {
    const known = new Set(classes.map((c) => c.label));
    const unknown = (label: string): StudioFailure =>
      new StudioFailure(
        'invalid-input',
        `"${label}" is not a class of this dataset; choose one of: ${[...known].join(', ')}.`,
      );
    if (args.defaultClass !== undefined && !known.has(args.defaultClass)) {
      throw unknown(args.defaultClass);
    }
    const unclassed: number[] = [];
    const classed = samples.map((sample): Classed => {
      const asked = sample.provenance.classLabel;
      if (asked !== null) return { sample, label: asked, classSource: 'asked' };
      if (known.size === 0) return { sample, label: null, classSource: 'unlabeled' };
      const chosen = args.classes?.[String(sample.id)] ?? args.defaultClass;
      if (chosen === undefined) unclassed.push(sample.id);
      else if (!known.has(chosen)) throw unknown(chosen);
      return { sample, label: chosen ?? null, classSource: 'chosen' };
    });
    if (unclassed.length > 0) {
      throw new StudioFailure(
        'invalid-input',
        `Choose a class for sample${unclassed.length > 1 ? 's' : ''} ${unclassed.slice(0, 10).join(', ')}: ` +
          'its model was not asked for one.',
        { sampleIds: unclassed },
      );
    }
    return classed;
  }

  /** The item a sample becomes: its PNG or its text as the blob, with its provenance. */
  private async itemOf(
    datasetId: number,
    kind: 'image' | 'text',
    { sample, label, classSource }: Classed,
    grey: boolean,
  ): Promise<NewSyntheticItem> {
    if (sample.kind !== kind) {
      throw new StudioFailure(
        'invalid-input',
        `Sample ${sample.id} is ${sample.kind === 'text' ? 'a text' : 'an image'}; its dataset holds ${kind}.`,
      );
    }
    const { blobs, thumbnails } = this.deps;
    let bytes: Buffer;
    let facts: Pick<NewSyntheticItem, 'format' | 'width' | 'height' | 'channels'>;
    if (kind === 'text') {
      const text = sample.text ?? (await this.readSample(sample)).toString('utf8');
      bytes = Buffer.from(text, 'utf8');
      // Text items: width is the length in characters, height the number of lines (as imported).
      facts = {
        format: 'txt',
        width: countChars(text),
        height: text.split('\n').length,
        channels: 0,
      };
    } else {
      bytes = await this.readSample(sample);
      // Sample PNGs are stored as RGB even when the model is grey; a grey dataset gets grey items,
      // or one RGB item would turn the whole version's 'auto' channels to colour.
      if (grey) bytes = await sharp(bytes).toColourspace('b-w').png().toBuffer();
      const meta = await sharp(bytes).metadata();
      facts = {
        format: 'png',
        width: meta.width ?? sample.width,
        height: meta.height ?? sample.height,
        channels: meta.channels ?? 3,
      };
    }
    const blobSha = sha256(bytes);
    await blobs.putWithSha(blobSha, bytes);
    if (kind === 'image') await thumbnails.ensure(blobSha, bytes);
    const extension = kind === 'text' ? 'txt' : 'png';
    const p = sample.provenance;
    return {
      datasetId,
      blobSha,
      kind,
      label,
      // Unique per sample (its id) and per content, so a sample re-drawn after a rollback at the
      // same step and index is another item.
      sourcePath: `synthetic/run-${sample.runId}/step-${sample.step}-${sample.index}-s${sample.id}-${blobSha.slice(0, 8)}.${extension}`,
      ...facts,
      byteSize: bytes.length,
      provenance: {
        sampleId: sample.id,
        runId: sample.runId,
        step: sample.step,
        origin: p.origin,
        seed: p.seed,
        latentIndex: p.latentIndex,
        classLabel: p.classLabel,
        classSource,
        prompt: p.prompt,
        temperature: p.temperature,
        topK: p.topK,
        topP: p.topP,
      },
    };
  }

  private async readSample(sample: ChosenSample): Promise<Buffer> {
    try {
      return await fs.readFile(path.join(this.deps.dataDir, sample.filePath));
    } catch {
      throw new StudioFailure(
        'not-found',
        `The file of sample ${sample.id} is missing (${sample.filePath}); it cannot be added.`,
      );
    }
  }
}

function noteOf(added: readonly SplitRow[], samples: readonly ChosenSample[]): string {
  const runs = [...new Set(samples.map((s) => s.runId))].sort((a, b) => a - b);
  const byClass = new Map<string, number>();
  for (const row of added) {
    const key = row.label ?? 'unlabeled';
    byClass.set(key, (byClass.get(key) ?? 0) + 1);
  }
  const classes = [...byClass].map(([label, n]) => `${label}: ${n}`).join(', ');
  return `${added.length} synthetic added from run ${runs.join(', ')} (${classes})`;
}
