import type { DatasetRepository, NewItem } from '../datasetRepository';
import type { ImportIssue, ImportRecords } from './importRecords';
import type { ImportSink } from './importSink';

/** Items and issues written per transaction: few commits, and memory bounded per batch. */
const BATCH_SIZE = 500;

/** Collects one import's items and issues and writes them in batches. */
export class ImportBatch implements ImportSink {
  private items: NewItem[] = [];
  private issues: ImportIssue[] = [];
  skippedCount = 0;

  constructor(
    private readonly repository: DatasetRepository,
    private readonly records: ImportRecords,
    private readonly datasetId: number,
  ) {}

  item(item: NewItem): void {
    this.items.push(item);
    if (this.items.length >= BATCH_SIZE) this.flush();
  }

  skip(sourcePath: string, reason: string): void {
    this.skippedCount++;
    this.issue({ sourcePath, reason, outcome: 'skipped' });
  }

  note(sourcePath: string, reason: string): void {
    this.issue({ sourcePath, reason, outcome: 'imported' });
  }

  flush(): void {
    const { items, issues } = this;
    this.items = [];
    this.issues = [];
    this.records.transaction(() => {
      if (items.length > 0) this.repository.addItems(this.datasetId, items);
      this.records.addIssues(this.datasetId, issues);
    });
  }

  private issue(issue: ImportIssue): void {
    this.issues.push(issue);
    if (this.issues.length >= BATCH_SIZE) this.flush();
  }
}

/** Caps the bytes of files held in memory at once; a single larger file still goes alone. */
export class ByteBudget {
  private inUse = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(bytes: number): Promise<() => void> {
    while (this.inUse > 0 && this.inUse + bytes > this.limit) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.inUse += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= bytes;
      // Every waiter checks again; with a handful in flight that is cheaper than bookkeeping.
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    };
  }
}
