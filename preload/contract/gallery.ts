// The contract of the gallery: samples across runs, filtered and paged, with how each was drawn,
// a star or a rejection per sample, and exports of a dataset version for other trainers.
import type { SampleEvaluation } from './evaluation';
import type { ModelFamily, SampleView } from './runs';
import type { VersionSummary } from './versions';

export type SampleRating = 'starred' | 'rejected';

/** How a sample came to be: 'training' grids and texts, or drawn later from a checkpoint. */
export type SampleOrigin = 'training' | 'grid' | 'interpolation' | 'text';

/** Everything known about how a sample was drawn; null where it was not recorded. */
export interface SampleProvenance {
  origin: SampleOrigin;
  /** The seed of the draw (training grids: the run's seed, the same noise at every step). */
  seed: number | null;
  /** Which latent of the seeded noise (images) or which text of the batch. */
  latentIndex: number | null;
  /** The class a class-conditional model was asked for. */
  classLabel: string | null;
  prompt: string | null;
  temperature: number | null;
  topK: number | null;
  topP: number | null;
}

export interface GallerySample extends SampleView {
  rating: SampleRating | null;
  provenance: SampleProvenance;
  datasetId: number;
  datasetName: string;
  versionId: number;
  /** The version's number within its dataset (v1, v2, …). */
  versionNumber: number;
  family: ModelFamily;
  presetId: string;
  /** What the run's evaluation found about this sample; null when no evaluation judged it. */
  evaluation: SampleEvaluation | null;
  /** The step of the run's newest checkpoint (what `runs:evaluate` judges), null without one. */
  runCheckpointStep: number | null;
}

/** The filters of the gallery, without paging. */
export interface SampleFilters {
  datasetId?: number;
  runIds?: number[];
  family?: ModelFamily;
  minStep?: number;
  maxStep?: number;
  /** 'unrated': neither starred nor rejected; 'kept': all but the rejected. */
  rating?: SampleRating | 'unrated' | 'kept';
  /** true: only samples an evaluation judged (they carry `evaluation`); false: only the others. */
  evaluated?: boolean;
}

export interface SampleQuery extends SampleFilters {
  offset?: number;
  limit?: number;
}

export interface SamplePage {
  /** Samples matching the filters, newest run first, then newest step, then index. */
  total: number;
  offset: number;
  samples: GallerySample[];
}

/** One figure of a run's newest evaluation, as recorded among its metrics (`eval_*`). */
export interface GroupEvaluationFigure {
  /** The metric's name without `eval_` (frechet_distance, precision, val_bpc, …). */
  name: string;
  value: number;
}

/** The samples of one run at one step under the filters: a header row in the gallery. */
export interface SampleGroup {
  runId: number;
  runName: string | null;
  step: number;
  /** Samples of this run and step that match the filters. */
  count: number;
  family: ModelFamily;
  presetId: string;
  datasetName: string;
  versionNumber: number;
  /** The run's newest evaluation (its step and headline figures); null when none was made. */
  evaluation: { step: number; figures: GroupEvaluationFigure[] } | null;
}

export interface SampleGroups {
  /** The sum of the groups' counts: what `samples:query` counts for the same filters. */
  total: number;
  /** In the order of `samples:query` (newest run, then newest step): group g starts where g-1 ends. */
  groups: SampleGroup[];
}

export interface VersionExportResult {
  folder: string;
  manifestPath: string;
  /** Item files written (texts also go into one items.jsonl). */
  files: number;
}

/** How a synthetic item's class was set. */
export type SyntheticClassSource = 'asked' | 'chosen' | 'unlabeled';

/** One sample as "add to dataset" would take it. */
export interface AugmentPlanSample {
  sampleId: number;
  kind: 'image' | 'text';
  step: number;
  /** The class a class-conditional model was asked for; the item gets this class. */
  askedClass: string | null;
  /** True when a person must choose the class (an unconditional sample of a labelled dataset). */
  needsClass: boolean;
  /** Already an item of this dataset (added before): the new version includes it again. */
  alreadyAdded: boolean;
  /** True when an evaluation judged the sample (only then can the classifier suggest a class). */
  evaluated: boolean;
  /** The version's feature classifier's class for it; null when no evaluation gave one. */
  suggestion: AugmentClassSuggestion | null;
}

/** The class the feature classifier saw in a sample when its run was evaluated. */
export interface AugmentClassSuggestion {
  label: string;
  /** Its softmax probability, 0 to 1. */
  confidence: number | null;
  /** Good enough to preselect: the classifier is skilled on held-out items and sure of this one. */
  preselect: boolean;
  /** Why it is (or is not) preselected, in words. */
  why: string;
}

/** What adding samples to their dataset would do, for the dialog before it is done. */
export interface AugmentPlan {
  datasetId: number;
  datasetName: string;
  baseVersionId: number;
  baseVersionNumber: number;
  /** The number the new version will have. */
  nextVersionNumber: number;
  /** The classes a sample may be given (the newest version's labels), smallest class first. */
  classes: { label: string; count: number }[];
  /**
   * The class the version's feature classifier suggests for the unconditional samples (the one
   * most of the preselected per-sample suggestions agree on); null when none is good enough.
   */
  suggestedClass: string | null;
  samples: AugmentPlanSample[];
}

export interface AddToDatasetArgs {
  sampleIds: number[];
  /** Sample id (as a string key) → class, for samples whose class is not the one asked for. */
  classes?: Record<string, string>;
  /** The class for every unconditional sample not named in `classes`. */
  defaultClass?: string;
  /** The version the person saw; refused if the dataset moved on meanwhile. */
  baseVersionId?: number;
}

export interface AddToDatasetResult {
  version: VersionSummary;
  /** Items the new version holds that came from samples (new and added before). */
  added: number;
  perClass: { label: string | null; count: number }[];
}

export interface GalleryCalls {
  'samples:query': (args: SampleQuery) => SamplePage;
  /** Where the filtered samples' (run, step) groups start, with what a header says of each. */
  'samples:groups': (args: SampleFilters) => SampleGroups;
  /** Stars or rejects samples (null clears the mark); returns how many rows changed. */
  'samples:rate': (args: { sampleIds: number[]; rating: SampleRating | null }) => {
    changed: number;
  };
  /** What adding these samples to their run's dataset would do (target, new version, classes). */
  'samples:augmentPlan': (args: { sampleIds: number[] }) => AugmentPlan;
  /**
   * Adds generated samples to a new version of their run's dataset, each as an item marked
   * synthetic with its provenance (run, step, seed/latent index, class asked for, prompt, sampling).
   */
  'samples:addToDataset': (args: AddToDatasetArgs) => AddToDatasetResult;
  /**
   * Writes a dataset version's current items as class folders with their original bytes (texts
   * also as one items.jsonl) and a manifest.json (path, label, split, sha256), for other trainers.
   */
  'datasets:exportVersion': (args: {
    datasetId: number;
    versionNumber?: number;
    folder?: string;
  }) => VersionExportResult;
}
