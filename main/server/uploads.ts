import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import type http from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Outcome } from '../../preload/contract';
import { toStudioError } from '../common/failure';

/** What one browser may push at the server: it writes to the data dir's disk. */
export interface UploadLimits {
  /** One file; refused by its Content-Length before a byte is read. */
  maxFileBytes: number;
  /** All files of one upload (one dropped folder) together. */
  maxUploadBytes: number;
  /** Files in one upload. */
  maxFiles: number;
  /** File requests being received at once, across uploads (the renderer sends 4 at a time). */
  maxConcurrent: number;
}

const MB = 1024 * 1024;
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxFileBytes: 512 * MB,
  maxUploadBytes: 20 * 1024 * MB,
  maxFiles: 200_000,
  maxConcurrent: 8,
};

export interface UploadReply {
  status: number;
  body: Outcome<null>;
  /** Set when the body was not read: the connection cannot be reused for another request. */
  close?: boolean;
  retryAfterSeconds?: number;
}

class TooLarge extends Error {}

/**
 * Receives uploaded files: each request body is streamed to a temporary file beside its target
 * with a byte counter, never held whole in memory, and renamed into place once complete, so an
 * interrupted upload leaves no half file to be imported.
 */
export class UploadReceiver {
  private inFlight = 0;
  private readonly usage = new Map<string, { files: number; bytes: number }>();

  constructor(
    private readonly limits: UploadLimits,
    /** The checked staging path for one file of an upload (throws for a bad id or path). */
    private readonly targetOf: (uploadId: string, relativePath: string) => Promise<string>,
  ) {}

  async receive(
    req: http.IncomingMessage,
    uploadId: string,
    relativePath: string,
  ): Promise<UploadReply> {
    const declared = declaredLength(req);
    if (declared === 'invalid') return refuse(400, 'The upload has an invalid Content-Length.');
    const usage = this.usage.get(uploadId) ?? { files: 0, bytes: 0 };
    if (declared !== null && declared > this.limits.maxFileBytes) {
      return refuse(413, `${relativePath} is larger than ${megabytes(this.limits.maxFileBytes)}.`);
    }
    if (usage.files + 1 > this.limits.maxFiles) {
      return refuse(413, `An upload holds at most ${this.limits.maxFiles} files.`);
    }
    if (usage.bytes + (declared ?? 0) > this.limits.maxUploadBytes) {
      return refuse(413, `An upload holds at most ${megabytes(this.limits.maxUploadBytes)}.`);
    }
    if (this.inFlight >= this.limits.maxConcurrent) {
      return {
        ...refuse(429, 'The server is busy receiving other files; try again.'),
        retryAfterSeconds: 1,
      };
    }

    // Counted before the first byte, so files arriving at once cannot together pass the quota.
    const allowed = Math.min(
      this.limits.maxFileBytes,
      this.limits.maxUploadBytes - usage.bytes,
      declared ?? Number.POSITIVE_INFINITY,
    );
    usage.files += 1;
    usage.bytes += declared ?? 0;
    this.usage.set(uploadId, usage);
    this.inFlight++;
    try {
      const written = await this.stream(req, uploadId, relativePath, allowed);
      usage.bytes += written - (declared ?? 0);
      return { status: 200, body: { ok: true, value: null } };
    } catch (err) {
      usage.files -= 1;
      usage.bytes -= declared ?? 0;
      if (err instanceof TooLarge) return refuse(413, err.message);
      const error = toStudioError(err);
      return {
        status: error.code === 'internal' ? 500 : 400,
        body: { ok: false, error },
        close: true,
      };
    } finally {
      this.inFlight--;
    }
  }

  /** The upload was imported or dropped: its files no longer count. */
  forget(uploadId: string): void {
    this.usage.delete(uploadId);
  }

  private async stream(
    req: http.IncomingMessage,
    uploadId: string,
    relativePath: string,
    allowed: number,
  ): Promise<number> {
    const target = await this.targetOf(uploadId, relativePath);
    const partial = `${target}.${randomBytes(6).toString('hex')}.part`;
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > allowed) {
          done(new TooLarge(`${relativePath} is larger than ${megabytes(allowed)} allowed.`));
        } else done(null, chunk);
      },
    });
    try {
      await pipeline(req, counter, createWriteStream(partial, { flags: 'wx' }));
      await fs.rename(partial, target);
      return bytes;
    } catch (err) {
      await fs.rm(partial, { force: true });
      throw err;
    }
  }
}

function declaredLength(req: http.IncomingMessage): number | null | 'invalid' {
  const header = req.headers['content-length'];
  if (header === undefined) return null;
  return /^\d+$/.test(header) ? Number(header) : 'invalid';
}

function refuse(status: number, message: string): UploadReply {
  return { status, body: { ok: false, error: { code: 'invalid-input', message } }, close: true };
}

function megabytes(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${bytes} bytes`;
}
