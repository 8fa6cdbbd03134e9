import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountFor, checkDatabase } from '../../../scripts/fuzz/fuzzAccounting.mjs';
import {
  buildHostileCorpus,
  CANARY_PATTERN,
  removeCorpus,
  startChaos,
  type HostileCorpus,
} from '../../../scripts/fuzz/hostileCorpus.mjs';
import { StudioEventBus } from '../../common/events';
import { DatasetService } from '../datasetService';
import { importKit, type ImportKit } from '../testing/importKit';
import { UploadStaging } from './uploadStaging';

// A small slice of the corpus `npm run fuzz:import` imports at full size (scripts/fuzz/): every
// structural case and the first byte cases of each kind, against the real import service.
const SEED = 7;
const COUNT = 200;

let corpus: HostileCorpus;
beforeAll(async () => {
  corpus = await buildHostileCorpus(mkdtempSync(path.join(os.tmpdir(), 'studio-hostile-')), {
    seed: SEED,
    count: COUNT,
  });
}, 60_000);
afterAll(() => removeCorpus(corpus));

let kit: ImportKit;
let service: DatasetService;
beforeEach(() => {
  kit = importKit();
  service = new DatasetService({
    ...kit.deps,
    uploads: new UploadStaging(path.join(kit.dir, 'uploads')),
    events: new StudioEventBus(),
  });
});
afterEach(() => kit.close());

/** A reason a person can act on: a sentence, not an error code, a stack or the file's bytes. */
function unreadableReasons(lines: readonly { reason: string }[]): string[] {
  return lines
    .map((l) => l.reason)
    .filter(
      (r) =>
        !/^[\p{L}\d]/u.test(r) ||
        r.length > 160 ||
        /[\p{Cc}]/u.test(r) ||
        /^E[A-Z]+$|Error:|\bat .+:\d+:\d+/.test(r) ||
        CANARY_PATTERN.test(r),
    );
}

describe.each([
  ['images', 'image'],
  ['texts', 'text'],
] as const)('importing the hostile %s as %s', (folder, kind) => {
  it('reports every file it cannot use, with a reason, and keeps the database whole', async () => {
    const volatile = corpus.volatile.filter((v) => v.absolutePath.startsWith(corpus[folder]));
    const chaos = startChaos(volatile, { seed: SEED });
    const report = await service
      .importFolder(corpus[folder], { settings: { kind } })
      .finally(() => chaos.stop());

    const entries = corpus.entries.filter((e) => e.folder === folder);
    const itemPaths = kit.db
      .prepare('SELECT source_path FROM items WHERE dataset_id = ?')
      .pluck()
      .all(report.dataset.id) as string[];
    const { outcomes } = accountFor(corpus[folder], entries, itemPaths, report.skipped);
    const lost = entries.filter((e, i) => outcomes[i]?.status === 'absent' && !e.volatile);
    expect(lost).toEqual([]);
    // The slice holds good files and bad ones of each kind: both outcomes must occur.
    expect(outcomes.some((o) => o.status === 'imported')).toBe(true);
    expect(outcomes.filter((o) => o.status === 'skipped').length).toBeGreaterThan(10);
    expect(unreadableReasons([...report.skipped, ...report.notes])).toEqual([]);
    expect(checkDatabase(kit.db, kit.dir)).toEqual([]);
  });
});
