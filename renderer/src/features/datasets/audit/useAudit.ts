import { useCallback, useRef, useState } from 'react';
import type {
  AuditFindingType,
  AuditFixResult,
  AuditProgress,
  Outcome,
  RebalanceChoice,
  StudioError,
} from '../../../../../preload/contract';
import { useOutcome, useStudioEvent } from '../../../api/hooks';
import { settle } from '../../../api/studio';
import { useStudio } from '../../../api/StudioContext';

/** A running audit's progress with the rate of its current phase, for a count, rate and ETA. */
export interface LiveAuditProgress extends AuditProgress {
  perSecond: number | null;
  etaSeconds: number | null;
}

/** What a person chose where a fix has more than one way. */
export interface FixChoices {
  /** Finding id → the duplicate that stays. */
  keep?: Record<number, number>;
  rebalance?: RebalanceChoice;
}

export interface FixAllOptions {
  /** Only findings scored at least this (0–1). */
  minScore?: number;
  rebalance?: RebalanceChoice;
}

export interface AuditState {
  report: ReturnType<typeof useLatestAudit>;
  progress: LiveAuditProgress | null;
  /** 'start', 'cancel', 'fix', 'export': what is being asked of the core now. */
  pending: string | null;
  error: StudioError | null;
  dismiss: () => void;
  /** Findings fixed since the report on screen was made, with the version the fix made. */
  fixed: ReadonlyMap<number, number>;
  start: () => Promise<void>;
  cancel: () => Promise<void>;
  fix: (findingIds: number[], choices?: FixChoices) => Promise<void>;
  fixAll: (type: AuditFindingType, options?: FixAllOptions) => Promise<void>;
  exportAs: (format: 'json' | 'csv') => Promise<void>;
}

function useLatestAudit(datasetId: number) {
  const api = useStudio();
  const load = useCallback(() => api.audit.latest({ datasetId }), [api, datasetId]);
  return useOutcome(load);
}

/** Hands a text to the browser as a download, without a round trip through the server. */
function download(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click has started the download; the URL is no longer needed afterwards.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The dataset's newest audit, a run in progress, and one-click fixes. A fix makes a new version,
 * which the audit on screen no longer describes, so the dataset is audited again right away.
 */
export function useAudit(datasetId: number): AuditState {
  const api = useStudio();
  const report = useLatestAudit(datasetId);
  const [progress, setProgress] = useState<LiveAuditProgress | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<StudioError | null>(null);
  const [fixed, setFixed] = useState<ReadonlyMap<number, number>>(new Map());
  const phaseStart = useRef<{ phase: string; at: number }>({ phase: '', at: 0 });
  // A short audit can finish before the answer to its start arrives: remember which ended.
  const ended = useRef(new Set<number>());

  useStudioEvent('audit:progress', (p) => {
    if (p.datasetId !== datasetId) return;
    if (p.status !== 'running') {
      ended.current.add(p.auditId);
      setProgress(null);
      setFixed(new Map());
      report.reload();
      return;
    }
    const now = performance.now();
    if (phaseStart.current.phase !== p.phase) phaseStart.current = { phase: p.phase, at: now };
    const seconds = (now - phaseStart.current.at) / 1000;
    const perSecond = seconds > 0.2 && p.done > 0 ? p.done / seconds : null;
    const etaSeconds = perSecond ? Math.max(0, p.total - p.done) / perSecond : null;
    setProgress({ ...p, perSecond, etaSeconds });
  });

  const call = useCallback(
    async <T>(what: string, work: () => Promise<Outcome<T>>): Promise<T | null> => {
      setPending(what);
      setError(null);
      const outcome = await settle(work());
      setPending(null);
      if (!outcome.ok) {
        setError(outcome.error);
        return null;
      }
      return outcome.value;
    },
    [],
  );

  const start = useCallback(async () => {
    const started = await call('start', () => api.audit.start({ datasetId }));
    if (started && !ended.current.has(started.auditId)) {
      phaseStart.current = { phase: '', at: performance.now() };
      setProgress(
        (p) =>
          p ?? {
            auditId: started.auditId,
            datasetId,
            versionId: started.versionId,
            status: 'running',
            phase: 'starting',
            done: 0,
            total: 0,
            perSecond: null,
            etaSeconds: null,
          },
      );
    }
  }, [api, call, datasetId]);

  const afterFix = useCallback(
    async (result: AuditFixResult | null) => {
      if (!result) return;
      setFixed((prev) => {
        const next = new Map(prev);
        for (const id of result.fixedFindingIds) next.set(id, result.version.number);
        return next;
      });
      await start();
    },
    [start],
  );

  const auditId = report.value?.summary.auditId ?? null;
  return {
    report,
    progress,
    pending,
    error,
    dismiss: useCallback(() => setError(null), []),
    fixed,
    start,
    cancel: useCallback(async () => {
      if (!progress) return;
      await call('cancel', () => api.audit.cancel({ auditId: progress.auditId }));
      setProgress(null);
      report.reload();
    }, [api, call, progress, report]),
    fix: useCallback(
      async (findingIds: number[], choices: FixChoices = {}) => {
        if (auditId === null) return;
        await afterFix(
          await call('fix', () => api.audit.applyFix({ auditId, findingIds, ...choices })),
        );
      },
      [api, auditId, afterFix, call],
    ),
    fixAll: useCallback(
      async (type: AuditFindingType, options: FixAllOptions = {}) => {
        if (auditId === null) return;
        await afterFix(await call('fix', () => api.audit.applyAll({ auditId, type, ...options })));
      },
      [api, auditId, afterFix, call],
    ),
    exportAs: useCallback(
      async (format: 'json' | 'csv') => {
        if (auditId === null) return;
        const file = await call('export', () => api.audit.export({ auditId, format }));
        if (file) download(file.fileName, file.mimeType, file.text);
      },
      [api, auditId, call],
    ),
  };
}
