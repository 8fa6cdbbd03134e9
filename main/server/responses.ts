import { createReadStream, promises as fs } from 'node:fs';
import type http from 'node:http';
import type { ErrorCode, Outcome } from '../../preload/contract';

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: Outcome<unknown>,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extraHeaders });
  res.end(JSON.stringify(body));
}

export function failure(message: string, code: ErrorCode = 'invalid-input'): Outcome<never> {
  return { ok: false, error: { code, message } };
}

export function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/**
 * How a browser may keep a file. `immutable`: the name is the content's SHA-256 (thumbnails,
 * blobs), so the bytes behind it never change and a gallery scrolled back up asks for none of
 * its images again. `revalidate`: the name can come to mean other bytes (a sample's id is a
 * database row id, which SQLite may reuse once a run is deleted; a page of the app changes on a
 * rebuild), so the browser asks each time and an unchanged file costs a 304 with no body.
 */
export type FileCaching = 'immutable' | 'revalidate';

export interface SendFileOptions {
  caching?: FileCaching;
  /** A download's Content-Disposition. */
  disposition?: string;
}

export async function sendFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: string,
  type: string,
  options: SendFileOptions = {},
): Promise<void> {
  const stat = await fs.stat(file);
  const common = {
    'content-type': type,
    ...(options.disposition ? { 'content-disposition': options.disposition } : {}),
  };
  if ((options.caching ?? 'revalidate') === 'immutable') {
    res.writeHead(200, { ...common, 'cache-control': 'private, max-age=31536000, immutable' });
  } else {
    // Size and modification time name a version of the file well enough for a local server:
    // every writer here replaces a file whole, which moves its mtime.
    const etag = `W/"${stat.size.toString(16)}-${Math.trunc(stat.mtimeMs).toString(16)}"`;
    if (ifNoneMatch(req, etag)) {
      res.writeHead(304, { 'cache-control': 'no-cache', etag });
      res.end();
      return;
    }
    res.writeHead(200, { ...common, 'cache-control': 'no-cache', etag });
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A file removed mid-read ends the response; an unheard stream error would end the server.
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** If-None-Match holds this tag (or `*`); weak comparison, as RFC 9110 asks for a GET. */
function ifNoneMatch(req: http.IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const bare = (tag: string): string => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}
