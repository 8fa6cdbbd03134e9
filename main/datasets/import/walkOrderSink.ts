import type { NewItem } from '../datasetRepository';
import type { ImportSink } from './importSink';

/** What one file's import reported, waiting for its turn. */
interface FileSlot {
  done: boolean;
  calls: ((sink: ImportSink) => void)[];
}

/**
 * Passes what each file's import found on to the batch in the order the walk found the files,
 * whatever order their decodes finish in. Several files are in flight at once (sharp decodes on
 * libuv's pool), so without it the items' ids, and with them each version's train/validation
 * split (split.ts ranks items by id) and every figure a seeded run measures, followed the thread
 * pool's timing: the same folder imported twice gave two different datasets.
 *
 * A file's slot holds only item rows and remarks (its bytes are stored and released already), so
 * what waits behind a slow file stays small.
 */
export class WalkOrderSink {
  private readonly slots: FileSlot[] = [];

  constructor(private readonly target: ImportSink) {}

  /** A sink for the next file of the walk, and `finish` to call once that file is done. */
  nextFile(): { sink: ImportSink; finish: () => void } {
    const slot: FileSlot = { done: false, calls: [] };
    this.slots.push(slot);
    const sink: ImportSink = {
      item: (item: NewItem) => slot.calls.push((s) => s.item(item)),
      skip: (sourcePath, reason) => slot.calls.push((s) => s.skip(sourcePath, reason)),
      note: (sourcePath, reason) => slot.calls.push((s) => s.note(sourcePath, reason)),
    };
    return {
      sink,
      finish: () => {
        slot.done = true;
        this.drain();
      },
    };
  }

  /** Hands on every finished file at the head of the walk, in order. */
  private drain(): void {
    while (this.slots[0]?.done) {
      const slot = this.slots.shift() as FileSlot;
      for (const call of slot.calls) call(this.target);
    }
  }
}
