import { promises as fs } from 'node:fs';
import path from 'node:path';
import type {
  AuditSummary,
  BestCheckpoint,
  ReportExportResult,
  RunDetail,
  RunEvaluation,
  SampleView,
} from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import { trainingGrids } from '../../shared/runs/trainingGrids';
import { exportsRoot } from './exportSamples';
import { reportPage, type ReportCell, type ReportGrid } from './reportPage';

// Writes a run's self-contained HTML report where exports go: into a folder a person chose, or
// under the data dir's exports/ with an id the browser shell downloads it by. Never over a file.

export interface ReportDeps {
  dataDir: string;
  run: (runId: number) => RunDetail;
  samples: (runId: number) => SampleView[];
  /** The stored file of a sample, relative to the data dir. */
  sampleFile: (sampleId: number) => string | null;
  evaluation: (runId: number) => Promise<RunEvaluation | null>;
  /** The newest completed audit of a dataset version, or null. */
  audit: (datasetId: number, versionId: number) => AuditSummary | null;
  best: (runId: number) => BestCheckpoint | null;
}

/** Grids besides the latest one, spread over training: enough to see change, small enough to mail. */
const EARLIER_GRIDS = 4;
/** Cells per grid: the fixed-noise grids training draws are 16 to 64 samples. */
const MAX_CELLS = 36;

const REPORT_ID_PATTERN = /^report-run-\d+-[0-9TZ-]+(-\d+)?$/;

/** The report file behind a download id, or null when the id is not one (never a path outside). */
export function reportPathOf(dataDir: string, reportId: string): string | null {
  return REPORT_ID_PATTERN.test(reportId)
    ? path.join(exportsRoot(dataDir), `${reportId}.html`)
    : null;
}

/** The latest step and up to EARLIER_GRIDS steps evenly over the ones before it, oldest first. */
export function reportSteps(steps: readonly number[]): number[] {
  const sorted = [...steps].sort((a, b) => a - b);
  const latest = sorted.pop();
  if (latest === undefined) return [];
  if (sorted.length <= EARLIER_GRIDS) return [latest, ...sorted];
  const picked = new Set<number>();
  for (let i = 0; i < EARLIER_GRIDS; i++) {
    picked.add(sorted[Math.round((i * (sorted.length - 1)) / (EARLIER_GRIDS - 1))] as number);
  }
  return [latest, ...[...picked].sort((a, b) => a - b)];
}

async function readCell(deps: ReportDeps, sample: SampleView): Promise<ReportCell> {
  const file = deps.sampleFile(sample.id);
  const bytes = file ? await fs.readFile(path.join(deps.dataDir, file)).catch(() => null) : null;
  if (sample.kind === 'text') {
    // The text is stored with the sample; the file is only its copy on disk.
    return {
      kind: 'text',
      index: sample.index,
      text: sample.text ?? (bytes ? bytes.toString('utf8') : null),
    };
  }
  // Only a real PNG goes into the page: anything else is shown as missing.
  const isPng = bytes !== null && bytes.subarray(0, 8).equals(PNG_SIGNATURE);
  return {
    kind: 'image',
    index: sample.index,
    width: sample.width,
    height: sample.height,
    dataUri: isPng ? `data:image/png;base64,${bytes.toString('base64')}` : null,
  };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function reportGrids(deps: ReportDeps, runId: number): Promise<ReportGrid[]> {
  const grids = trainingGrids(deps.samples(runId));
  const grid = async (step: number): Promise<ReportGrid> => ({
    step,
    cells: await Promise.all(
      (grids.get(step) ?? []).slice(0, MAX_CELLS).map((s) => readCell(deps, s)),
    ),
  });
  const out: ReportGrid[] = [];
  for (const step of reportSteps([...grids.keys()])) out.push(await grid(step));
  return out;
}

/** The page of a run, as a string: what `exportRunReport` writes. */
export async function buildRunReport(deps: ReportDeps, runId: number): Promise<string> {
  const run = deps.run(runId);
  const [evaluation, grids] = await Promise.all([deps.evaluation(runId), reportGrids(deps, runId)]);
  return reportPage({
    run,
    evaluation,
    audit: deps.audit(run.datasetId, run.versionId),
    best: deps.best(runId),
    grids,
    generatedAt: new Date().toISOString(),
  });
}

/**
 * Writes the report as `run-<id>-report.html` into `folder` (made if missing), or without one as
 * `exports/report-run-<id>-<time>.html`, whose name is the browser's download id.
 */
export async function exportRunReport(
  deps: ReportDeps,
  runId: number,
  folder?: string,
): Promise<ReportExportResult> {
  const page = await buildRunReport(deps, runId);
  const chosen = folder?.trim();
  if (chosen) {
    const target = path.resolve(chosen);
    const file = path.join(target, `run-${runId}-report.html`);
    await fs.mkdir(target, { recursive: true }).catch((err: Error) => {
      throw new StudioFailure('io', `Cannot create the report folder ${target}: ${err.message}`);
    });
    if (!(await writeNew(file, page))) {
      throw new StudioFailure(
        'invalid-input',
        `${file} already exists; choose a new folder (a report is never written over a file).`,
      );
    }
    return { path: file, reportId: '' };
  }
  await fs.mkdir(exportsRoot(deps.dataDir), { recursive: true });
  const base = `report-run-${runId}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (let n = 0; ; n++) {
    const reportId = n === 0 ? base : `${base}-${n}`;
    const file = reportPathOf(deps.dataDir, reportId) as string;
    if (await writeNew(file, page)) return { path: file, reportId };
  }
}

/** Writes only where no file is (flag wx): false when one already is. */
async function writeNew(file: string, text: string): Promise<boolean> {
  try {
    await fs.writeFile(file, text, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StudioFailure('io', `Cannot write the report ${file}: ${(err as Error).message}`);
  }
}
