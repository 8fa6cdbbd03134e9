import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { StudioCore } from '../core/studioCore';
import { tempDir, writeFile } from '../testing/fixtures';
import { startServer, type RunningServer, type ServerOptions } from './httpServer';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface TestServer {
  dir: string;
  core: StudioCore;
  server: RunningServer;
  /** `host:port` as a browser on this machine would send it. */
  host: string;
  origin: string;
  cookie: string;
  bearer: Record<string, string>;
  close(): Promise<void>;
}

/** A real server on 127.0.0.1 (a free port) over a fresh data dir, with a one-page renderer. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const { dir, cleanup } = tempDir('studio-server-');
  const rendererDir = path.join(dir, 'renderer');
  await writeFile(rendererDir, 'index.html', '<!doctype html><title>studio</title>');
  const core = new StudioCore({
    dataDir: path.join(dir, 'data'),
    shell: 'browser',
    workerPath: '/nonexistent/mlWorker.js',
  });
  const server = await startServer(core, {
    host: '127.0.0.1',
    port: 0,
    rendererDir,
    token: TEST_TOKEN,
    ...options,
  });
  const host = new URL(server.url).host;
  let closing: Promise<void> | undefined;
  return {
    dir,
    core,
    server,
    host,
    origin: `http://${host}`,
    cookie: `studio-token-${new URL(server.url).port}=${TEST_TOKEN}`,
    bearer: { authorization: `Bearer ${TEST_TOKEN}` },
    // Idempotent: a test may close early to start another server, and afterEach closes again.
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await core.close();
        await cleanup();
      })()),
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request with exactly these headers (fetch would not let a test set Host or leave out
 * Origin as a browser would not); `body: null` sends the headers only and waits for an answer.
 */
export function rawRequest(
  server: TestServer,
  method: string,
  pathAndQuery: string,
  headers: Record<string, string>,
  body?: string | Buffer | null,
): Promise<RawResponse> {
  const { port } = new URL(server.server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: pathAndQuery,
        headers: { host: server.host, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    if (body === null) req.flushHeaders();
    else req.end(body);
  });
}

/** A JSON call as the page makes it: same-origin, with the cookie. */
export async function pageCall(server: TestServer, name: string, args: unknown): Promise<unknown> {
  const res = await rawRequest(
    server,
    'POST',
    `/api/call/${encodeURIComponent(name)}`,
    { cookie: server.cookie, origin: server.origin, 'content-type': 'application/json' },
    JSON.stringify(args),
  );
  return JSON.parse(res.body);
}

/** Opens the event socket; resolves with 'open' or the HTTP status it was refused with. */
export function openEvents(
  server: TestServer,
  headers: Record<string, string>,
): Promise<{ opened: true; ws: WebSocket } | { opened: false; status: number }> {
  const ws = new WebSocket(new URL('/api/events', server.server.url.replace('http', 'ws')), {
    headers,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ opened: true, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}
