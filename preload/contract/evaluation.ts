// The contract of judging runs (issue 11): what a checkpoint generates, measured against the
// dataset version it trained on, with the per-sample evidence the run view shows.

/** One evaluated image sample beside its nearest training item. */
export interface EvaluatedImageSample {
  /** The stored sample (gallery id), so its image has a media URL. */
  sampleId: number;
  /** The nearest training item in the feature network's space, and its blob for a thumbnail. */
  nearestItemId: number;
  nearestBlobSha: string | null;
  /** Distance over the median validation→train distance: below ~0.5 is unusually close. */
  distanceRatio: number;
  nearCopy: boolean;
  /** The Euclidean distance in the feature network's space (absent in older evaluations). */
  featureDistance?: number;
  /** The nearest training item in pixels and the root-mean-square pixel difference (0–1). */
  pixelNearestItemId?: number;
  pixelNearestBlobSha?: string | null;
  pixelRms?: number;
}

/**
 * What an evaluation found about one gallery sample, read with the sample (`samples:query`).
 * Images: its nearest training item in features and in pixels; texts: the longest copied stretch.
 */
/** The feature classifier's class for a sample, and how far the classifier itself is right. */
export interface PredictedClass {
  label: string;
  /** Its softmax probability, 0 to 1. */
  confidence: number | null;
  /** Share of the version's validation items it classifies right (held out from its training). */
  classifierAccuracy: number | null;
  /** Share of the largest class among them: the accuracy of always guessing it. */
  classifierChance: number | null;
}

export type SampleEvaluation =
  | {
      kind: 'image';
      /** The checkpoint step the evaluation judged. */
      step: number;
      nearestItemId: number | null;
      nearestBlobSha: string | null;
      featureDistance: number | null;
      /** Feature distance over the median validation→train distance (see EvaluatedImageSample). */
      distanceRatio: number | null;
      nearCopy: boolean;
      pixelItemId: number | null;
      pixelBlobSha: string | null;
      /** Root-mean-square pixel difference to the pixel-nearest item, 0 (identical) to 1. */
      pixelRms: number | null;
      /** What the version's feature classifier sees in it; null for an unlabeled version. */
      predictedClass: PredictedClass | null;
    }
  | {
      kind: 'text';
      step: number;
      /** [start, end) into the sample's text; start = end when nothing was copied. */
      copyStart: number;
      copyEnd: number;
    };

/** One evaluated text sample with its longest stretch found verbatim in the training text. */
export interface EvaluatedTextSample {
  text: string;
  /** Character offsets [start, end) into `text`. */
  copyStart: number;
  copyEnd: number;
  /** The gallery sample it was stored as (absent in older evaluations). */
  sampleId?: number;
}

export interface EvaluationCost {
  /** Training wall time (start to end), seconds; null when unknown. */
  wallSeconds: number | null;
  stepsPerSecond: number | null;
  backend: string;
  threads: number | null;
  parameters: number;
  /** Inference speed measured while evaluating. */
  msPerSample: number;
  msPerCharacter: number | null;
  /** The worker's heap after evaluating, bytes, when known. */
  memoryBytes: number | null;
  /** How long the evaluation itself took. */
  evaluationSeconds: number;
}

export interface RunEvaluation {
  runId: number;
  versionId: number;
  datasetId: number;
  step: number;
  kind: 'image' | 'text';
  createdAt: string;
  sampleCount: number;
  seed: number;
  /** The eval_* figures also stored in the run's metrics at `step`. */
  metrics: Record<string, number>;
  /** Images only: classes of the version the samples never showed. */
  missingClasses: string[];
  imageSamples: EvaluatedImageSample[];
  textSamples: EvaluatedTextSample[];
  cost: EvaluationCost;
  /** True when the version's cached feature network was reused (images). */
  featureNetworkCached: boolean;
}

export interface EvaluationCalls {
  /** Judges a run at its newest checkpoint (`step` must be it, when given) and stores the result. */
  'runs:evaluate': (args: { runId: number; step?: number }) => RunEvaluation;
  /** The newest stored evaluation of a run, or null when it was never evaluated. */
  'runs:evaluation': (args: { runId: number }) => RunEvaluation | null;
}
