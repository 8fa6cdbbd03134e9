import type { AuditFinding, RunCalls, RunEvaluation, VersionQuality } from '../../preload/contract';
import type { CallHandlers } from '../common/calls';
import type { StudioEventBus } from '../common/events';
import type { CommonJudgement, CommonJudgeRequest } from '../evaluation/commonJudge';
import { exportSamples } from '../export/exportSamples';
import { exportRunReport } from '../export/reportService';
import type { SampleGallery } from '../gallery/sampleQuery';
import type { AlarmRepository } from './alarmRepository';
import { compareVersions } from './compareVersions';
import { rollbackToBest, runAlarms } from './rollback';
import { RunHistoryService } from './runHistoryService';
import type { RunRepository } from './runRepository';
import type { RunService } from './runService';

export interface RunHandlerDeps {
  dataDir: string;
  runs: RunService;
  /** The run records: the gallery's samples. */
  runRecords: RunRepository;
  /** The samples with their files and provenance, that an export reads. */
  gallery: SampleGallery;
  alarms: AlarmRepository;
  /** Every audited version of a dataset with its newest completed audit (AuditService.history). */
  auditHistory: (datasetId: number) => VersionQuality[];
  /** A run ended at its best checkpoint is announced like any other status change. */
  events: StudioEventBus;
  /** The newest stored evaluation of a run (EvaluationService.latest), for its report. */
  latestEvaluation: (runId: number) => Promise<RunEvaluation | null>;
  /** An audit's findings (its duplicate groups), and the one judge of a version comparison. */
  auditFindings: (auditId: number) => AuditFinding[];
  judgeRuns: (request: CommonJudgeRequest) => Promise<CommonJudgement>;
}

/** The training calls: model presets, runs, and the samples they draw and export. */
export function runHandlers(deps: RunHandlerDeps): Pick<CallHandlers, keyof RunCalls> {
  const { dataDir, runs, runRecords, gallery } = deps;
  const history = new RunHistoryService({
    dataDir,
    runs: runRecords,
    isTraining: (runId) => runs.isTraining(runId),
  });
  const latestCompletedAudit = (datasetId: number, versionId: number) =>
    deps.auditHistory(datasetId).find((v) => v.versionId === versionId)?.summary ?? null;
  return {
    'models:presets': () => runs.presets(),
    'runs:start': (args) => runs.start(args),
    'runs:stop': ({ runId }) => runs.stop(runId),
    'runs:resume': ({ runId, steps }) => runs.resume(runId, steps),
    'runs:estimate': (args) => runs.estimate(args),
    'runs:list': ({ datasetId, includeArchived }) => runRecords.list(datasetId, includeArchived),
    'runs:get': ({ runId }) => runs.get(runId),
    'runs:annotate': ({ runId, ...change }) => history.annotate(runId, change),
    'runs:archive': ({ runIds, archived }) => history.archive(runIds, archived),
    'runs:deletePreview': ({ runIds }) => history.deletePreview(runIds),
    'runs:delete': ({ runIds }) => history.delete(runIds),
    'runs:compare': ({ runIds }) => history.compare(runIds),
    'runs:compareVersions': (args) =>
      compareVersions(
        {
          runs,
          compareRuns: (runIds) => history.compare(runIds),
          latestCompletedAudit,
          auditFindings: deps.auditFindings,
          judge: deps.judgeRuns,
        },
        args,
      ),
    'runs:alarms': ({ runId }) => runAlarms(deps, runId),
    'runs:rollback': ({ runId, continue: continueTraining }) =>
      rollbackToBest(deps, runId, continueTraining),
    'samples:list': ({ runId }) => runRecords.samples(runId),
    'samples:generate': (args) => runs.generate(args),
    'samples:export': ({ sampleIds, folder }) =>
      exportSamples({ dataDir, gallery }, sampleIds, folder),
    'runs:exportReport': ({ runId, folder }) =>
      exportRunReport(
        {
          dataDir,
          run: (id) => runs.get(id),
          samples: (id) => runRecords.samples(id),
          sampleFile: (sampleId) => runRecords.sample(sampleId)?.filePath ?? null,
          evaluation: deps.latestEvaluation,
          audit: latestCompletedAudit,
          best: (id) => runAlarms(deps, id).best,
        },
        runId,
        folder,
      ),
  };
}
