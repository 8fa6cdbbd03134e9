import { existsSync, promises as fs } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { MediaKind } from '../../preload/contract';
import { dispatchCall, type CallHandlers } from '../core/dispatch';
import type { StudioCore } from '../core/studioCore';
import { failure, sendFile, sendJson, sendText } from './responses';
import type { UploadReceiver } from './uploads';

export interface RouteDeps {
  core: StudioCore;
  /** The core's handlers under the server's path policy. */
  handlers: CallHandlers;
  uploads: UploadReceiver;
  /** The built renderer (out/renderer), served as the app's pages. */
  rendererDir: string;
}

/** Calls carry small JSON arguments; files come through the upload route. */
const MAX_CALL_BYTES = 16 * 1024 * 1024;
const MEDIA_KINDS = new Set<MediaKind>(['thumb', 'blob', 'sample']);
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The routes of a request that passed the host, token and origin checks: `POST /api/call/<name>`,
 * `PUT /api/uploads/<id>?path=…`, `GET /api/exports/<zipId>`, `GET /media/<kind>/<id>`, and the
 * renderer's pages for every other GET.
 */
export async function route(
  deps: RouteDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  let parts: string[];
  try {
    parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return sendJson(res, 400, failure('The address has a broken %-escape.'));
  }
  const [first, second, third] = parts;

  if (first === 'api' && second === 'call' && parts.length === 3 && req.method === 'POST') {
    return callRoute(deps, req, res, third as string);
  }
  if (first === 'api' && second === 'uploads' && parts.length === 3 && req.method === 'PUT') {
    const relativePath = url.searchParams.get('path');
    if (!relativePath) {
      return sendJson(res, 400, failure('The upload needs ?path=<relative path>.'), {
        connection: 'close',
      });
    }
    const reply = await deps.uploads.receive(req, third as string, relativePath);
    return sendJson(res, reply.status, reply.body, {
      ...(reply.close ? { connection: 'close' } : {}),
      ...(reply.retryAfterSeconds ? { 'retry-after': String(reply.retryAfterSeconds) } : {}),
    });
  }
  if (first === 'api' && second === 'exports' && parts.length === 3 && req.method === 'GET') {
    const download = deps.core.exportDownload(third as string);
    if (!download) return sendJson(res, 404, failure('No such export.', 'not-found'));
    // Always an attachment: a report is opened from disk, never rendered on the studio's origin.
    return sendFile(req, res, download.file, download.contentType, {
      disposition: `attachment; filename="${download.fileName}"`,
    });
  }
  if (first === 'media' && parts.length === 3 && req.method === 'GET') {
    const kind = second as MediaKind;
    const file = MEDIA_KINDS.has(kind) ? deps.core.mediaPath(kind, third as string) : null;
    if (!file) return sendJson(res, 404, failure('No such image.', 'not-found'));
    // Blobs are originals in any format; thumbnails and samples are PNG. Thumbnails and blobs
    // are named by their content's hash; a sample by a row id.
    return sendFile(req, res, file, kind === 'blob' ? 'application/octet-stream' : 'image/png', {
      caching: kind === 'sample' ? 'revalidate' : 'immutable',
    });
  }
  if (first !== 'api' && (req.method === 'GET' || req.method === 'HEAD')) {
    return serveRenderer(deps.rendererDir, url.pathname, req, res);
  }
  sendJson(res, 404, failure('Not found.', 'not-found'));
}

async function callRoute(
  deps: RouteDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  name: string,
): Promise<void> {
  // Only JSON: a form or a text/plain body is what a foreign page can send without asking.
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return sendJson(res, 415, failure('Calls take a JSON body (Content-Type: application/json).'), {
      connection: 'close',
    });
  }
  if (Number(req.headers['content-length'] ?? 0) > MAX_CALL_BYTES) {
    return sendJson(res, 413, failure('The call arguments are too large.'), {
      connection: 'close',
    });
  }
  let args: unknown;
  try {
    const body = await readBody(req, MAX_CALL_BYTES);
    args = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return sendJson(res, 400, failure('The request body is not JSON.'));
  }
  const outcome = await dispatchCall(deps.handlers, name, args);
  if (name === 'datasets:finishUpload' && typeof args === 'object' && args !== null) {
    const { uploadId } = args as { uploadId?: unknown };
    if (typeof uploadId === 'string') deps.uploads.forget(uploadId);
  }
  sendJson(res, 200, outcome);
}

async function serveRenderer(
  root: string,
  pathname: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) {
    return sendText(
      res,
      503,
      'The studio pages are not built yet: run `npm run build`, then start the server again.\n',
    );
  }
  const requested = path.normalize(path.join(root, pathname));
  const inside = requested.startsWith(root + path.sep);
  const stat = inside ? await fs.stat(requested).catch(() => null) : null;
  const file = stat?.isFile() ? requested : index;
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  await sendFile(req, res, file, type);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('The body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
