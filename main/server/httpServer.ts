import { createReadStream, existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES, type MediaKind, type Outcome } from '../../preload/contract';
import { dispatchCall } from '../core/dispatch';
import { toStudioError } from '../common/failure';
import type { StudioCore } from '../core/studioCore';

export interface ServerOptions {
  host: string;
  port: number;
  /** The built renderer (out/renderer), served as the app's pages. */
  rendererDir: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
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
 * The headless studio: the same renderer bundle served over HTTP, talking to the core through
 * `POST /api/call/<name>` and a WebSocket of events. This is also how the studio runs on a
 * remote GPU box and is opened in a browser.
 */
export async function startServer(
  core: StudioCore,
  options: ServerOptions,
): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    handle(core, options, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toStudioError(err) });
      else res.end();
    });
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/api/events') {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => forwardEvents(core, ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forwardEvents(core: StudioCore, ws: WebSocket): void {
  const unsubscribe = EVENT_NAMES.map((event) =>
    core.events.on(event, (payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    }),
  );
  ws.on('close', () => unsubscribe.forEach((off) => off()));
}

async function handle(
  core: StudioCore,
  options: ServerOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://studio.local');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

  if (parts[0] === 'api' && parts[1] === 'call' && parts.length === 3 && req.method === 'POST') {
    let args: unknown;
    try {
      const body = await readBody(req, 16 * 1024 * 1024);
      args = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, failure('The request body is not JSON.'));
    }
    return sendJson(res, 200, await dispatchCall(core.handlers, parts[2] as string, args));
  }

  if (parts[0] === 'api' && parts[1] === 'uploads' && parts.length === 3 && req.method === 'PUT') {
    const relativePath = url.searchParams.get('path');
    if (!relativePath)
      return sendJson(res, 400, failure('The upload needs ?path=<relative path>.'));
    let bytes: Buffer;
    try {
      bytes = await readBody(req, MAX_UPLOAD_BYTES);
    } catch (err) {
      return sendJson(res, 413, failure((err as Error).message));
    }
    try {
      await core.datasets.writeUpload(parts[2] as string, relativePath, bytes);
      return sendJson(res, 200, { ok: true, value: null });
    } catch (err) {
      return sendJson(res, 400, { ok: false, error: toStudioError(err) });
    }
  }

  if (parts[0] === 'api' && parts[1] === 'exports' && parts.length === 3 && req.method === 'GET') {
    const file = core.exportZipPath(parts[2] as string);
    if (!file) return sendJson(res, 404, failure('No such export.', 'not-found'));
    return sendFile(res, file, 'application/zip', `attachment; filename="${parts[2]}.zip"`);
  }

  if (parts[0] === 'media' && parts.length === 3 && req.method === 'GET') {
    const kind = parts[1] as MediaKind;
    const file = MEDIA_KINDS.has(kind) ? core.mediaPath(kind, parts[2] as string) : null;
    if (!file) return sendJson(res, 404, failure('No such image.', 'not-found'));
    // Blobs are originals in any format; thumbnails and samples are PNG.
    return sendFile(res, file, kind === 'blob' ? 'application/octet-stream' : 'image/png');
  }

  if (req.method === 'GET' || req.method === 'HEAD')
    return serveRenderer(options.rendererDir, url.pathname, res);
  sendJson(res, 404, failure('Not found.', 'not-found'));
}

async function serveRenderer(
  root: string,
  pathname: string,
  res: http.ServerResponse,
): Promise<void> {
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(
      'The studio pages are not built yet: run `npm run build`, then start the server again.\n',
    );
    return;
  }
  const requested = path.normalize(path.join(root, pathname));
  const inside = requested.startsWith(root + path.sep);
  const stat = inside ? await fs.stat(requested).catch(() => null) : null;
  const file = stat?.isFile() ? requested : index;
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  sendFile(res, file, type);
}

function sendFile(
  res: http.ServerResponse,
  file: string,
  type: string,
  disposition?: string,
): void {
  res.writeHead(200, {
    'content-type': type,
    'cache-control': 'no-cache',
    ...(disposition ? { 'content-disposition': disposition } : {}),
  });
  createReadStream(file).pipe(res);
}

function sendJson(res: http.ServerResponse, status: number, body: Outcome<unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function failure(
  message: string,
  code: 'invalid-input' | 'not-found' = 'invalid-input',
): Outcome<never> {
  return { ok: false, error: { code, message } };
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`The upload is larger than ${Math.round(limit / 1024 / 1024)} MB.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
