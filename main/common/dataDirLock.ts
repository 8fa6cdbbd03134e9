// One owner per data dir. Two studios on one folder undo each other's work: each start-up makes
// what it finds "left half-done by a killed process" consistent (runs marked interrupted, unfinished
// imports removed, staged uploads cleared), which is only right when nobody else is running. So a
// process owns the folder through `studio.lock`, a small JSON file naming it; a second process is
// refused with that name, and a lock whose process is gone is taken over.

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { StudioFailure } from './failure';

export const LOCK_FILE = 'studio.lock';

/** Which of the three shells owns the folder (what a refused process is told). */
export type OwnerKind = 'desktop' | 'server' | 'cli';

export interface DataDirOwner {
  pid: number;
  kind: OwnerKind;
  /** ISO time the owner took the lock. */
  since: string;
  /** For a server: where it listens, so another process can point a person (or a client) to it. */
  port?: number;
  url?: string;
  /** For a server with an access token: the file that holds it (never the token itself). */
  tokenFile?: string;
  /** Tells two owners with the same pid apart (a container restarts its processes as pid 1). */
  nonce: string;
}

/** What a lock file's process-independent fields the owner may publish after start-up. */
export type OwnerAdvert = Pick<DataDirOwner, 'port' | 'url' | 'tokenFile'>;

const KIND_LABEL: Record<OwnerKind, string> = {
  desktop: 'the desktop app',
  server: 'a studio server',
  cli: 'a studio command',
};

/** Locks this process holds, by file: a second StudioCore in the same process is refused too. */
const heldHere = new Map<string, string>();

/**
 * Whether the lock's process still runs. Our own pid is alive only if this process really holds that
 * lock: otherwise it is the lock of an earlier process that had the same pid.
 */
function isAlive(owner: DataDirOwner, file: string): boolean {
  if (owner.pid === process.pid) return heldHere.get(file) === owner.nonce;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, it belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): DataDirOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataDirOwner>;
    return typeof owner.pid === 'number' && typeof owner.nonce === 'string'
      ? (owner as DataDirOwner)
      : null;
  } catch {
    return null;
  }
}

function writeDurably(file: string, text: string, flags: string): void {
  const fd = openSync(file, flags);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates the lock file holding `owner` only if there is none. The content is written to a file of
 * our own and hard-linked into place (atomic, fails if the name exists), so nobody ever reads a
 * half-written lock; where hard links are not supported, an O_EXCL create does the same job.
 */
function createExclusively(file: string, owner: DataDirOwner): boolean {
  const text = `${JSON.stringify(owner, null, 2)}\n`;
  const own = `${file}.${owner.nonce}.tmp`;
  writeDurably(own, text, 'w');
  try {
    linkSync(own, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    try {
      writeDurably(file, text, 'wx');
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallback;
    }
  } finally {
    unlinkSync(own);
  }
}

/**
 * Moves a lock judged stale out of the way, and only that one: it is renamed aside and compared,
 * and if a live owner took the name in between, its lock is put back.
 */
function removeStale(file: string, stale: DataDirOwner | null): void {
  const aside = `${file}.${randomBytes(6).toString('hex')}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readOwner(aside);
  if (stale !== null && moved?.nonce !== stale.nonce) {
    try {
      linkSync(aside, file);
    } catch {
      // Yet another process took the name meanwhile: it is the owner now.
    }
  }
  unlinkSync(aside);
}

export function describeOwner(owner: DataDirOwner): string {
  const where = owner.url ? ` at ${owner.url}` : '';
  return `${KIND_LABEL[owner.kind] ?? 'another studio'} (pid ${owner.pid}${where}, since ${owner.since})`;
}

/** The refusal a second process gets: who owns the folder and what to do. */
export function ownedElsewhere(dataDir: string, owner: DataDirOwner): StudioFailure {
  const first = owner.url ? `Open ${owner.url} to use it, or stop` : 'Stop';
  return new StudioFailure(
    'conflict',
    `The data folder ${dataDir} is in use by ${describeOwner(owner)}. ${first} that process ` +
      `first, or use another folder (--data-dir or STUDIO_DATA_DIR). If that process is gone, ` +
      `delete ${path.join(dataDir, LOCK_FILE)}.`,
    { owner },
  );
}

export interface AcquiredLock {
  lock: DataDirLock;
  /** The dead owner whose lock was taken over (what its recovery cleans up), or null. */
  tookOverFrom: DataDirOwner | null;
}

/** The exclusive ownership of one data dir by this process. */
export class DataDirLock {
  private released = false;
  private readonly onExit = (): void => this.release();

  private constructor(
    readonly file: string,
    private owner: DataDirOwner,
  ) {
    heldHere.set(file, owner.nonce);
    // A process that ends without closing its studio still leaves the folder free.
    process.once('exit', this.onExit);
  }

  /** Takes the lock of `dataDir` (which must exist), or throws a 'conflict' naming its owner. */
  static acquire(
    dataDir: string,
    kind: OwnerKind,
    now: () => Date = () => new Date(),
  ): AcquiredLock {
    const file = path.join(dataDir, LOCK_FILE);
    const owner: DataDirOwner = {
      pid: process.pid,
      kind,
      since: now().toISOString(),
      nonce: randomBytes(8).toString('hex'),
    };
    let tookOverFrom: DataDirOwner | null = null;
    // A few rounds: each either takes the lock, meets a live owner, or clears one stale lock.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (createExclusively(file, owner))
        return { lock: new DataDirLock(file, owner), tookOverFrom };
      const current = readOwner(file);
      if (current !== null && isAlive(current, file)) throw ownedElsewhere(dataDir, current);
      removeStale(file, current);
      tookOverFrom = current ?? tookOverFrom;
    }
    throw new StudioFailure('conflict', `Could not take the lock ${file}: it keeps changing.`);
  }

  get current(): DataDirOwner {
    return this.owner;
  }

  /** Publishes where a server listens (and its token file), for processes that are refused. */
  advertise(advert: OwnerAdvert): void {
    if (this.released) return;
    this.owner = { ...this.owner, ...advert };
    const temporary = `${this.file}.${this.owner.nonce}.tmp`;
    writeDurably(temporary, `${JSON.stringify(this.owner, null, 2)}\n`, 'w');
    renameSync(temporary, this.file);
  }

  /** Frees the folder (idempotent); a lock that is no longer ours is left alone. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    heldHere.delete(this.file);
    if (readOwner(this.file)?.nonce !== this.owner.nonce) return;
    try {
      unlinkSync(this.file);
    } catch {
      // Already gone: nothing to free.
    }
  }
}
