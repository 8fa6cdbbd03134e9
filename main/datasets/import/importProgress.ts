import type { ImportProgress } from '../../../preload/contract';

export type ImportProgressUpdate = Omit<ImportProgress, 'importId'>;

/** Turns file counts into the progress a person reads: files, rate and time left. */
export class ProgressTracker {
  private startedAt = 0;
  private total = 0;
  private done = 0;

  constructor(private readonly listener?: (progress: ImportProgressUpdate) => void) {}

  counting(found: number, currentPath: string): void {
    if (found % 500 !== 0) return;
    this.emit({ phase: 'counting', done: 0, total: found, currentPath, skipped: 0 });
  }

  start(total: number): void {
    this.total = total;
    this.startedAt = Date.now();
    this.emit({ phase: 'importing', done: 0, total, currentPath: '', skipped: 0 });
  }

  fileDone(currentPath: string, skipped: number): void {
    this.done++;
    this.emit({ phase: 'importing', done: this.done, total: this.total, currentPath, skipped });
  }

  finishing(skipped: number): void {
    this.emit({
      phase: 'finishing',
      done: this.done,
      total: this.total,
      currentPath: '',
      skipped,
    });
  }

  private emit(p: Omit<ImportProgressUpdate, 'filesPerSecond' | 'etaSeconds'>): void {
    if (!this.listener) return;
    const seconds = this.startedAt ? (Date.now() - this.startedAt) / 1000 : 0;
    const filesPerSecond = seconds > 0 ? this.done / seconds : 0;
    const etaSeconds =
      p.phase === 'importing' && filesPerSecond > 0
        ? (this.total - this.done) / filesPerSecond
        : null;
    this.listener({ ...p, filesPerSecond, etaSeconds });
  }
}
