// The contract of training: model presets, runs and the samples they draw.
import type { BackendName } from './app';
import type { AuditSummary } from './audit';

export type ModelFamily = 'dense-vae' | 'conv-vae' | 'dcgan' | 'char-rnn' | 'char-gpt';

/** What a model family trains on: image datasets or text corpora. */
export type ModelKind = 'image' | 'text';

export interface ModelPreset {
  id: string;
  family: ModelFamily;
  kind: ModelKind;
  label: string;
  description: string;
  steps: number;
  batchSize: number;
  /** Side of the square images an image model trains at; 0 for text models. */
  imageSize: number;
  sampleEvery: number;
  /** Trainable parameters, for one grey channel (image) or a 96-character vocabulary (text). */
  params: number;
  /** Characters of context a text model sees; 0 for image models. */
  contextLength: number;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

export interface RunSummary {
  id: number;
  datasetId: number;
  datasetName: string;
  versionId: number;
  family: ModelFamily;
  presetId: string;
  status: RunStatus;
  step: number;
  totalSteps: number;
  backend: BackendName | null;
  /** Failure or stop explanation a person can read. */
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  sampleCount: number;
  lastLoss: number | null;
  /** The step of the newest checkpoint; a stopped or interrupted run resumes from it. */
  checkpointStep: number | null;
  /** When that checkpoint was written (ISO), null when unknown. */
  checkpointAt: string | null;
  /** What a person calls the run (null: just its number). */
  name: string | null;
  tags: string[];
  notes: string;
  /** When it was archived (hidden from the default list), else null. */
  archivedAt: string | null;
  /** The number of its dataset version within the dataset (v1, v2, ...). */
  versionNumber: number;
  /** The quality score of the newest completed audit of that version, if one ran. */
  versionAuditScore: number | null;
  /** Final and best value of every metric the run recorded, by metric name. */
  metricSummary: Record<string, MetricSummary>;
}

/** Which way a metric improves: down, up, or towards 0 (a z-score such as data copying's). */
export type MetricDirection = 'lower' | 'higher' | 'zero';

export interface MetricSummary {
  /** The value at the last step that recorded it. */
  final: number;
  /** The lowest value, the highest where higher is better, the one nearest 0 for a z-score. */
  best: number;
  better: MetricDirection;
}

/** What deleting runs removes (or removed): their records, files and the disk space they held. */
export interface RunDeletion {
  runIds: number[];
  sampleCount: number;
  /** Checkpoints on disk (a run keeps its newest). */
  checkpointCount: number;
  fileCount: number;
  bytes: number;
}

export type ConfigValue = string | number | boolean | null;

/** One resolved-config key whose value is not the same in every compared run. */
export interface ConfigDifference {
  /** Dotted path into the stored config, e.g. `training.steps`. */
  key: string;
  /** One per compared run, in the order of `RunComparison.runs`; null where the run lacks it. */
  values: ConfigValue[];
}

export interface ComparedMetric {
  name: string;
  better: MetricDirection;
  /** One per compared run (null: the run did not record it). */
  values: (MetricSummary | null)[];
  /** The run with the best `best` value. */
  bestRunId: number | null;
}

export interface RunComparison {
  runs: RunSummary[];
  metrics: ComparedMetric[];
  configDiff: ConfigDifference[];
  /** Steps at which every compared run has samples (grids side by side at the same step). */
  commonSampleSteps: number[];
}

/** One version trained in a version comparison: its run and its newest completed audit. */
export interface ComparedVersion {
  versionId: number;
  run: RunSummary;
  /** The seed the run trained with (the same on both versions). */
  seed: number | null;
  /** Null: the version has no completed audit. */
  audit: AuditSummary | null;
}

/** A figure on version a and b; change is b minus a (null if one lacks it). */
export interface VersionMetricChange {
  name: string;
  better: MetricDirection;
  a: number | null;
  b: number | null;
  change: number | null;
  /**
   * The standard error of the change from the judge drawing its samples alone, so a change
   * within about two of it may be the judge's noise: for a share of the samples (near copies,
   * duplicated items, the scarce class) from two independent proportions; for FID and KID from
   * resampling each run's samples (the bootstrap). Null for the other figures; what a second
   * training seed would change is not in it.
   */
  changeError: number | null;
}

/**
 * The one judge both runs of a version comparison are measured by: the reference version's
 * feature network, validation items and training items (for nearest neighbours and the near-copy
 * threshold), and the same fixed noise.
 */
export interface CommonJudgeInfo {
  referenceVersionId: number;
  /** A classifier (class spread figures too) or an autoencoder; none for text. */
  featureNetwork: 'classifier' | 'autoencoder' | 'none';
  /** Items (images) or characters (text) of the reference's train and validation parts. */
  trainItems: number;
  validationItems: number;
  sampleCount: number;
  /** The feature distance at or under which a sample is a near copy of a reference item. */
  copyThreshold: number | null;
  /** The class scarcest in either version's training items, whose share of samples is measured. */
  scarceClass: string | null;
  /** Items some version held more than once (its audit's duplicate groups). */
  duplicatedItems: number;
}

/** What cleaning bought: the same preset, seed and steps trained on two versions of a dataset. */
export interface VersionTrainingComparison {
  datasetId: number;
  presetId: string;
  steps: number;
  seed: number;
  versions: [ComparedVersion, ComparedVersion];
  judge: CommonJudgeInfo;
  /** Both runs against the one judge: these compare. */
  metrics: VersionMetricChange[];
  /** Each run's final eval_* and val_* figures against its own version: these do not compare. */
  ownMetrics: VersionMetricChange[];
}

export interface RunEstimate {
  presetId: string;
  backend: string;
  parameters: number;
  batchSize: number;
  memoryBytes: number;
  msPerStep: number;
  /** msPerStep × the preset's steps. */
  totalSeconds: number;
  /** Whether the data suffices for this preset, by a stated rule of thumb. */
  dataCheck?: DataSufficiency;
}

export interface DataSufficiency {
  ok: boolean;
  /** The rule of thumb applied, in words. */
  rule: string;
  /** The figures it compared (parameters, training characters or images, smallest class). */
  figures: Record<string, number>;
  message: string;
}

export interface MetricPoint {
  step: number;
  name: string;
  value: number;
  /**
   * Seconds of training when it was recorded (pauses between sessions not counted); null for
   * points from before the studio kept it and for figures judged after training, absent live.
   */
  seconds?: number | null;
}

/** The synthetic items (made from generated samples) of a run's dataset version. */
export interface RunSyntheticData {
  /** Whether the run trains on them (its config's data.includeSynthetic). */
  included: boolean;
  /** How many the version holds, trained on or not. */
  count: number;
  perClass: { label: string | null; count: number }[];
}

export interface RunDetail extends RunSummary {
  config: Record<string, unknown>;
  metrics: MetricPoint[];
  synthetic: RunSyntheticData;
}

export interface SampleView {
  id: number;
  runId: number;
  /** Images from image models; text from the character models (RNN, GPT). */
  kind: 'image' | 'text';
  /** The generated text of a text sample, else null. */
  text: string | null;
  step: number;
  index: number;
  width: number;
  height: number;
  createdAt: string;
}

export interface GenerateSamplesArgs {
  runId: number;
  /** Images: 'grid' (default) or 'interpolation' (VAEs: frames between two latent points). */
  mode?: 'grid' | 'interpolation';
  count?: number;
  seed?: number;
  /** Text models only. */
  prompt?: string;
  maxLength?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  stopAtNewline?: boolean;
}

export type RunAlarmKind = 'divergence' | 'mode-collapse' | 'overfitting' | 'memorisation';

/** Something going wrong in a run, raised at a step as it trains. */
export interface RunAlarm {
  id: number;
  runId: number;
  step: number;
  kind: RunAlarmKind;
  /** The metric that raised it and its value then (NaN/Infinity are sent as null). */
  metric: string;
  value: number | null;
  message: string;
  createdAt: string;
}

/** The checkpoint a run keeps by its main metric, so it can roll back to it. */
export interface BestCheckpoint {
  step: number;
  /** e.g. 'val_loss', 'loss (EMA)', or 'latest' where no metric ranks a GAN's checkpoints. */
  metric: string;
  value: number | null;
}

export interface RunAlarms {
  runId: number;
  alarms: RunAlarm[];
  best: BestCheckpoint | null;
}

export interface ExportResult {
  folder: string;
  files: string[];
  zipPath: string;
  /** For the browser shell: where the ZIP can be downloaded. */
  zipId: string;
}

/** A run's self-contained HTML report (curves, grids, report card, config, data version). */
export interface ReportExportResult {
  /** The written .html file. */
  path: string;
  /** For the browser shell: its download id (exportDownloadUrl); empty for a chosen folder. */
  reportId: string;
}

export interface RunCalls {
  'models:presets': (args: Record<string, never>) => ModelPreset[];

  'runs:start': (args: {
    datasetId: number;
    presetId: string;
    versionId?: number;
    steps?: number;
    /** Judge the final checkpoint when training completes (default true). */
    evaluateAtEnd?: boolean;
    /** Train on the version's synthetic items too (default true); stored in the run's config. */
    includeSynthetic?: boolean;
  }) => RunSummary;
  'runs:stop': (args: { runId: number }) => RunSummary;
  /** Continues a stopped or interrupted run from its newest checkpoint (optionally for longer). */
  'runs:resume': (args: { runId: number; steps?: number }) => RunSummary;
  /** Parameters, memory and measured time per step of a preset on this dataset, before training. */
  'runs:estimate': (args: {
    datasetId: number;
    presetId: string;
    /** As for runs:start: the data check counts the synthetic items only if they train. */
    includeSynthetic?: boolean;
  }) => RunEstimate;
  /** Newest first; archived runs only when asked for. */
  'runs:list': (args: { datasetId?: number; includeArchived?: boolean }) => RunSummary[];
  /** The alarms a run raised and the best checkpoint it keeps. */
  'runs:alarms': (args: { runId: number }) => RunAlarms;
  /**
   * Back to the run's best checkpoint: what came after it is dropped; `continue` trains on from
   * there (to the run's total), otherwise the run ends there.
   */
  'runs:rollback': (args: { runId: number; continue: boolean }) => RunSummary;
  'runs:get': (args: { runId: number }) => RunDetail;
  /** Sets a run's name, tags or notes (what is not given stays). */
  'runs:annotate': (args: {
    runId: number;
    name?: string | null;
    tags?: string[];
    notes?: string;
  }) => RunSummary;
  'runs:archive': (args: { runIds: number[]; archived: boolean }) => RunSummary[];
  /** What deleting these runs would remove, for the confirmation. */
  'runs:deletePreview': (args: { runIds: number[] }) => RunDeletion;
  /** Deletes finished runs with their metrics, samples and checkpoints; returns what it reclaimed. */
  'runs:delete': (args: { runIds: number[] }) => RunDeletion;
  /** 2 to 8 runs side by side: their metrics (best marked) and the config keys that differ. */
  'runs:compare': (args: { runIds: number[] }) => RunComparison;
  /**
   * Trains the preset with the same seed and steps on version a, then on version b, judges both
   * runs by one judge (the reference version's, default b) and returns their figures side by
   * side with the findings of each version's newest completed audit.
   */
  'runs:compareVersions': (args: {
    datasetId: number;
    versionIds: [number, number];
    presetId: string;
    steps: number;
    /** Default 1. */
    seed?: number;
    /** One of the two versions; default the second. */
    referenceVersionId?: number;
  }) => VersionTrainingComparison;

  'samples:list': (args: { runId?: number }) => SampleView[];
  /**
   * Draws new samples from a run's newest checkpoint and keeps them in the gallery: an image grid
   * (class-conditional models cycle through the classes), a latent interpolation (VAEs), or text
   * continuing a prompt with temperature, top-k and top-p.
   */
  'samples:generate': (args: GenerateSamplesArgs) => SampleView[];
  /** Writes the chosen samples as PNG files into a folder and into one ZIP beside it. */
  'samples:export': (args: { sampleIds: number[]; folder?: string }) => ExportResult;
  /** Writes the run's report into `folder` (new or empty), or under the data dir's exports/. */
  'runs:exportReport': (args: { runId: number; folder?: string }) => ReportExportResult;
}

export interface RunProgress {
  runId: number;
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  etaSeconds: number | null;
  metrics: Record<string, number>;
}

export interface RunEvents {
  'runs:progress': RunProgress;
  'runs:status': RunSummary;
  'runs:alarm': RunAlarm;
  'samples:added': { runId: number; step: number; sampleIds: number[] };
}
