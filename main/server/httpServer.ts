import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES } from '../../preload/contract';
import { toStudioError } from '../common/failure';
import type { StudioCore } from '../core/studioCore';
import { exportsRoot } from '../export/exportSamples';
import { checkListenAddress } from './listenAddress';
import {
  allowedHosts,
  changesState,
  hostAllowed,
  originAllowed,
  ownWebSocketOrigin,
} from './originCheck';
import { resolveRoots, withPathPolicy } from './pathPolicy';
import { failure, sendJson, sendText } from './responses';
import { route, type RouteDeps } from './routes';
import { setSecurityHeaders } from './securityHeaders';
import { cookieNameFor, newToken, TokenCheck } from './token';
import { DEFAULT_UPLOAD_LIMITS, UploadReceiver, type UploadLimits } from './uploads';

export interface ServerOptions {
  host: string;
  port: number;
  /** The built renderer (out/renderer), served as the app's pages. */
  rendererDir: string;
  /** The secret every request must carry; a random one per launch when not given. */
  token?: string;
  /** Listen on a non-loopback address; refused without it. */
  allowRemote?: boolean;
  /** Folders a page may import from and export into (`--root`); none by default. */
  roots?: readonly string[];
  uploadLimits?: Partial<UploadLimits>;
}

export interface RunningServer {
  /** The server's address, without the token. */
  url: string;
  /** The address to open once: it carries the token, which the server swaps for a cookie. */
  tokenUrl: string;
  token: string;
  /** Said loudly when the server listens where other machines can reach it. */
  warning?: string;
  close(): Promise<void>;
}

/** Headers arrive at once; a body (a large file over an SSH tunnel) may take its time. */
const HEADERS_TIMEOUT_MS = 20_000;
const BODY_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/**
 * The headless studio: the same renderer bundle served over HTTP, talking to the core through
 * `POST /api/call/<name>` and a WebSocket of events. Held like Jupyter's and VS Code's servers:
 * any page the person visits can send requests to 127.0.0.1, so every request must come to a
 * known Host, carry the launch token (cookie or bearer), and, if it changes anything, come from
 * this server's own origin.
 */
export async function startServer(
  core: StudioCore,
  options: ServerOptions,
): Promise<RunningServer> {
  const { warning } = checkListenAddress(options.host, options.allowRemote === true);
  const token = options.token ?? newToken();
  const roots = await resolveRoots(options.roots ?? []);
  const deps: RouteDeps = {
    core,
    handlers: withPathPolicy(core.handlers, { roots, exportsDir: exportsRoot(core.dataDir) }),
    uploads: new UploadReceiver({ ...DEFAULT_UPLOAD_LIMITS, ...options.uploadLimits }, (id, rel) =>
      core.datasets.uploadTarget(id, rel),
    ),
    rendererDir: options.rendererDir,
  };
  // Filled in once the port is known (port 0 picks one).
  const gate = { hosts: new Set<string>(), tokens: new TokenCheck(token, '') };

  const server = http.createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: BODY_TIMEOUT_MS },
    (req, res) => {
      handle(deps, gate, req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: toStudioError(err) });
        else res.end();
      });
    },
  );
  // The page only listens on this socket; nothing it could send is worth buffering.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req, socket, head) => {
    const refusal = upgradeRefusal(gate, req);
    if (refusal) return refuseUpgrade(socket, refusal);
    sockets.handleUpgrade(req, socket, head, (ws) => forwardEvents(core, ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  gate.hosts = allowedHosts(options.host, port);
  gate.tokens = new TokenCheck(token, cookieNameFor(port));
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${shownHost}:${port}/`;
  return {
    url,
    tokenUrl: `${url}?token=${encodeURIComponent(token)}`,
    token,
    ...(warning ? { warning } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Gate {
  hosts: Set<string>;
  tokens: TokenCheck;
}

async function handle(
  deps: RouteDeps,
  gate: Gate,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const knownHost = hostAllowed(req, gate.hosts);
  setSecurityHeaders(res, knownHost ? ownWebSocketOrigin(req) : null);
  if (!knownHost) {
    // A foreign Host is DNS rebinding, or a name this server was not told about.
    return sendText(res, 403, 'This server only answers to its own address (Host refused).\n');
  }
  const url = new URL(req.url ?? '/', 'http://studio.local');
  const offered = url.searchParams.get('token');
  if (offered !== null && req.method === 'GET') return exchangeToken(gate, url, offered, res);
  if (!gate.tokens.authorizes(req)) return refuseUnsigned(url, res);
  if (changesState(req.method) && !originAllowed(req, gate.tokens.hasValidBearer(req))) {
    return sendJson(res, 403, failure('Requests from other sites are refused.', 'unsupported'), {
      connection: 'close',
    });
  }
  return route(deps, req, res, url);
}

/** The token from the printed URL becomes a cookie, and the token leaves the address bar. */
function exchangeToken(gate: Gate, url: URL, offered: string, res: http.ServerResponse): void {
  if (!gate.tokens.matches(offered)) {
    return sendText(
      res,
      401,
      'This link carries a wrong or old token. Open the link `studio serve` printed when it started.\n',
    );
  }
  url.searchParams.delete('token');
  res.writeHead(302, {
    'set-cookie': gate.tokens.setCookieHeader(offered),
    location: `${url.pathname}${url.search}`,
    'cache-control': 'no-store',
  });
  res.end();
}

function refuseUnsigned(url: URL, res: http.ServerResponse): void {
  const message =
    'This studio needs the token from its link: open the URL `studio serve` printed ' +
    '(http://…/?token=…), or send Authorization: Bearer <token>.';
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')) {
    return sendJson(res, 401, failure(message, 'unsupported'));
  }
  sendText(res, 401, `${message}\n`);
}

function upgradeRefusal(gate: Gate, req: http.IncomingMessage): string | null {
  if (!hostAllowed(req, gate.hosts)) return '403 Forbidden';
  if (new URL(req.url ?? '/', 'http://studio.local').pathname !== '/api/events') {
    return '404 Not Found';
  }
  // The browser sends Origin on every WebSocket; a page on another site must not get the events.
  if (!originAllowed(req, gate.tokens.hasValidBearer(req))) return '403 Forbidden';
  if (!gate.tokens.authorizes(req)) return '401 Unauthorized';
  return null;
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function forwardEvents(core: StudioCore, ws: WebSocket): void {
  const unsubscribe = EVENT_NAMES.map((event) =>
    core.events.on(event, (payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    }),
  );
  ws.on('close', () => unsubscribe.forEach((off) => off()));
}
