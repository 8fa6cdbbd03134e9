import type {
  BrowsePage,
  DatasetKind,
  ItemEdit,
  ItemFilter,
  ItemSort,
  ItemText,
  Preprocessing,
  VersionComparison,
  VersionDetail,
  VersionSummary,
} from '../../../preload/contract';
import type { StudioEventBus } from '../../common/events';
import { notFound, StudioFailure } from '../../common/failure';
import type { BlobStore } from '../../store/blobStore';
import { describeChanges, diffContents, hasChanges } from './diff';
import { countChars, firstChars, readText, readTextHead } from './itemText';
import { mapLimited } from './mapLimited';
import { parseStoredPreprocessing, settingChanges } from './preprocessing';
import { assignSplit, type SplitRow, type VersionRow } from './split';
import { toBrowseItem, type VersionRecord, type VersionRepository } from './versionRepository';

export interface VersionServiceDeps {
  versions: VersionRepository;
  blobs: BlobStore;
  events: StudioEventBus;
}

export interface BrowseArgs {
  datasetId: number;
  versionId?: number;
  offset: number;
  limit: number;
  label?: string | null;
  filter?: ItemFilter;
  sort?: ItemSort;
  descending?: boolean;
}

/** Characters of a text item shown in a list row. */
const PREVIEW_CHARS = 160;
const DEFAULT_TEXT_CHARS = 20_000;
const READ_CONCURRENCY = 16;

/** What a change produces: the new content, and how the version came about. */
interface NextContent {
  rows: SplitRow[];
  preprocessing: Preprocessing;
  undoOfId?: number;
  /** "Undo v3", "Restore v1": said before the diff. */
  prefix?: string;
  /** Said instead of the diff when the caller knows better why the items changed. */
  note?: string;
}

/** Several edits at once, for changes that belong together (an audit fix). */
export interface ItemChanges {
  exclude: readonly number[];
  /** Item id → new label; an item also excluded stays excluded. */
  relabel: ReadonlyMap<number, string | null>;
  /** New settings that belong to the same change (rebalancing), else the parent's. */
  preprocessing?: Preprocessing;
}

/**
 * Versions of a dataset: browsing one, and making new ones. Every change (edit, settings, undo,
 * restore) writes a whole new immutable version whose parent is the newest one, with a readable
 * diff as its note; nothing already written is ever changed.
 */
export class VersionService {
  constructor(private readonly deps: VersionServiceDeps) {}

  versions(datasetId: number): VersionSummary[] {
    this.kindOf(datasetId);
    return this.deps.versions.versions(datasetId).map((v) => this.summary(v));
  }

  getVersion(versionId: number): VersionDetail {
    const { versions } = this.deps;
    const record = this.record(versionId);
    const latest = versions.latest(record.datasetId);
    const isLatest = latest?.id === record.id;
    return {
      ...this.summary(record),
      preprocessing: parseStoredPreprocessing(record.preprocessing),
      classes: versions.classes(record.id),
      labels: versions.labels(record.datasetId, record.id),
      isLatest,
      undoTargetId: isLatest ? (this.undoPlan(record)?.target.id ?? null) : null,
    };
  }

  /** A version's kind, items with their labels, and settings: for services that plan a change. */
  contents(versionId: number): {
    versionId: number;
    kind: DatasetKind;
    items: VersionRow[];
    preprocessing: Preprocessing;
  } {
    const record = this.record(versionId);
    return {
      versionId,
      kind: this.kindOf(record.datasetId),
      items: this.deps.versions.rows(versionId),
      preprocessing: parseStoredPreprocessing(record.preprocessing),
    };
  }

  async browse(args: BrowseArgs): Promise<BrowsePage> {
    const kind = this.kindOf(args.datasetId);
    const versionId = args.versionId ?? this.latestOf(args.datasetId).id;
    if (this.record(versionId).datasetId !== args.datasetId) {
      throw notFound(`Version ${versionId} of dataset ${args.datasetId}`);
    }
    const { rows, total } = this.deps.versions.browse({
      datasetId: args.datasetId,
      versionId,
      offset: args.offset,
      limit: args.limit,
      label: args.label,
      filter: args.filter ?? 'all',
      sort: args.sort ?? 'path',
      descending: args.descending ?? false,
    });
    const items = await mapLimited(rows, READ_CONCURRENCY, async (row) =>
      toBrowseItem(
        row,
        kind === 'text' ? await readTextHead(this.deps.blobs, row.blob_sha, PREVIEW_CHARS) : null,
      ),
    );
    return { items, total, versionId };
  }

  async itemText(itemId: number, maxChars = DEFAULT_TEXT_CHARS): Promise<ItemText> {
    const item = this.deps.versions.item(itemId);
    if (!item) throw notFound(`Item ${itemId}`);
    if (item.kind !== 'text') {
      throw new StudioFailure('invalid-input', `Item ${itemId} is an image, not text.`);
    }
    const text = await readText(this.deps.blobs, item.blobSha);
    const totalChars = countChars(text);
    return {
      itemId,
      text: firstChars(text, maxChars),
      totalChars,
      truncated: totalChars > maxChars,
    };
  }

  editItems(
    datasetId: number,
    baseVersionId: number,
    itemIds: readonly number[],
    edit: ItemEdit,
  ): VersionSummary {
    const known = this.deps.versions.datasetItemIds(datasetId);
    const unknown = itemIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new StudioFailure(
        'invalid-input',
        `${unknown.length} of the chosen items are not in this dataset.`,
        { unknown: unknown.slice(0, 20) },
      );
    }
    const chosen = new Set(itemIds);
    return this.commit(datasetId, baseVersionId, (parent, settings) => {
      let rows: VersionRow[];
      if (edit.action === 'exclude') {
        rows = parent.filter((row) => !chosen.has(row.itemId));
      } else if (edit.action === 'relabel') {
        // Excluded items stay excluded: relabeling is about the data that trains.
        rows = parent.map((row) =>
          chosen.has(row.itemId) ? { itemId: row.itemId, label: edit.label } : row,
        );
      } else {
        const present = new Set(parent.map((row) => row.itemId));
        const added = itemIds.filter((id) => !present.has(id));
        const labels = this.deps.versions.lastLabels(datasetId, added);
        rows = [
          ...parent,
          ...added.map((itemId) => ({ itemId, label: labels.get(itemId) ?? null })),
        ];
      }
      return { rows: this.split(datasetId, rows, settings), preprocessing: settings };
    });
  }

  /** Excludes and relabels (and maybe new settings) in one new version, whose note is `note`. */
  changeItems(
    datasetId: number,
    baseVersionId: number,
    changes: ItemChanges,
    note: string,
  ): VersionSummary {
    const excluded = new Set(changes.exclude);
    return this.commit(datasetId, baseVersionId, (parent, parentSettings) => {
      const settings = changes.preprocessing ?? parentSettings;
      const rows = parent
        .filter((row) => !excluded.has(row.itemId))
        .map((row) => {
          const label = changes.relabel.get(row.itemId);
          return label === undefined ? row : { itemId: row.itemId, label };
        });
      return { rows: this.split(datasetId, rows, settings), preprocessing: settings, note };
    });
  }

  setPreprocessing(
    datasetId: number,
    baseVersionId: number,
    preprocessing: Preprocessing,
  ): VersionSummary {
    return this.commit(datasetId, baseVersionId, (parent) => ({
      rows: this.split(datasetId, parent, preprocessing),
      preprocessing,
    }));
  }

  undo(datasetId: number, baseVersionId: number): VersionSummary {
    return this.commit(datasetId, baseVersionId, (_rows, _settings, latest) => {
      const plan = this.undoPlan(latest);
      if (!plan) {
        throw new StudioFailure('invalid-input', 'There is nothing to undo: this is the import.');
      }
      return {
        rows: this.deps.versions.rows(plan.target.id),
        preprocessing: parseStoredPreprocessing(plan.target.preprocessing),
        undoOfId: plan.undoes.id,
        prefix: `Undo v${plan.undoes.number}`,
      };
    });
  }

  restore(datasetId: number, baseVersionId: number, versionId: number): VersionSummary {
    const target = this.record(versionId);
    if (target.datasetId !== datasetId) throw notFound(`Version ${versionId} of this dataset`);
    return this.commit(datasetId, baseVersionId, () => ({
      rows: this.deps.versions.rows(target.id),
      preprocessing: parseStoredPreprocessing(target.preprocessing),
      prefix: `Restore v${target.number}`,
    }));
  }

  compare(fromVersionId: number, toVersionId: number): VersionComparison {
    const from = this.record(fromVersionId);
    const to = this.record(toVersionId);
    if (from.datasetId !== to.datasetId) {
      throw new StudioFailure('invalid-input', 'Only versions of one dataset can be compared.');
    }
    const kind = this.kindOf(from.datasetId);
    const changes = diffContents(
      this.deps.versions.rows(from.id),
      this.deps.versions.rows(to.id),
      settingChanges(
        kind,
        parseStoredPreprocessing(from.preprocessing),
        parseStoredPreprocessing(to.preprocessing),
      ),
    );
    return { fromVersionId, toVersionId, changes, summary: describeChanges(changes) };
  }

  /**
   * Which version an undo of `latest` brings back. Undoing an undo walks further back (the change
   * before the one undone) rather than redoing it; restoring an older version is a change of its
   * own, so undoing it returns to what was there before the restore.
   */
  private undoPlan(latest: VersionRecord): { target: VersionRecord; undoes: VersionRecord } | null {
    let undoes: VersionRecord = latest;
    while (undoes.undoOfId !== null) {
      const undone = this.record(undoes.undoOfId);
      if (undone.parentId === null) return null;
      undoes = this.record(undone.parentId);
    }
    if (undoes.parentId === null) return null;
    return { target: this.record(undoes.parentId), undoes };
  }

  /** Writes the next version if `baseVersionId` is still the newest and something changes. */
  private commit(
    datasetId: number,
    baseVersionId: number,
    next: (parentRows: SplitRow[], settings: Preprocessing, latest: VersionRecord) => NextContent,
  ): VersionSummary {
    const kind = this.kindOf(datasetId);
    const { versions } = this.deps;
    const versionId = versions.writing(() => {
      const latest = this.latestOf(datasetId);
      if (latest.id !== baseVersionId) {
        throw new StudioFailure(
          'conflict',
          `The dataset changed meanwhile (it is at v${latest.number} now). Reload it and try again.`,
          { latestVersionId: latest.id },
        );
      }
      const parentRows = versions.rows(latest.id);
      const parentSettings = parseStoredPreprocessing(latest.preprocessing);
      const content = next(parentRows, parentSettings, latest);
      const changes = diffContents(
        parentRows,
        content.rows,
        settingChanges(kind, parentSettings, content.preprocessing),
      );
      if (!hasChanges(changes)) {
        throw new StudioFailure('invalid-input', 'Nothing would change, so no version was made.');
      }
      const diff = describeChanges(changes);
      return versions.insertVersion(
        {
          datasetId,
          number: latest.number + 1,
          parentId: latest.id,
          undoOfId: content.undoOfId ?? null,
          note: content.note ?? (content.prefix ? `${content.prefix}: ${diff}` : diff),
          preprocessing: JSON.stringify(content.preprocessing),
        },
        content.rows,
      );
    });
    this.deps.events.emit('datasets:changed', { datasetId });
    return this.summary(this.record(versionId));
  }

  /** Train and validation for new content; synthetic items always train. */
  private split(datasetId: number, rows: readonly VersionRow[], settings: Preprocessing) {
    return assignSplit(rows, settings.split, this.deps.versions.syntheticItemIds(datasetId));
  }

  private summary(record: VersionRecord): VersionSummary {
    return {
      id: record.id,
      datasetId: record.datasetId,
      number: record.number,
      parentId: record.parentId,
      undoOfId: record.undoOfId,
      note: record.note,
      createdAt: record.createdAt,
      ...this.deps.versions.counts(record.id),
    };
  }

  private kindOf(datasetId: number): DatasetKind {
    const kind = this.deps.versions.datasetKind(datasetId);
    if (!kind) throw notFound(`Dataset ${datasetId}`);
    return kind;
  }

  private record(versionId: number): VersionRecord {
    const record = this.deps.versions.version(versionId);
    if (!record) throw notFound(`Version ${versionId}`);
    return record;
  }

  private latestOf(datasetId: number): VersionRecord {
    const latest = this.deps.versions.latest(datasetId);
    if (!latest) throw notFound(`Dataset ${datasetId}`);
    return latest;
  }
}
