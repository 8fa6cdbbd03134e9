import {
  CALL_NAMES,
  EVENT_NAMES,
  splitCallName,
  type CallName,
  type EventName,
  type MediaKind,
  type Outcome,
  type StudioApi,
  type StudioCallApi,
  type StudioEvents,
  type StudioShell,
  type UploadFileArgs,
} from '../../../preload/contract';

// The browser build of the studio: the same StudioApi as the Electron preload, spoken over HTTP
// (calls, uploads, media) and one WebSocket (events) to the headless server on this origin.

const UNREACHABLE =
  'The studio server cannot be reached. Check that `studio serve` is still running, then try again.';

const SIGNED_OUT =
  'This page is not signed in to the studio server (or the server was restarted with a new ' +
  'token). Open the link `studio serve` printed: it carries the token.';

function unreachable(detail: string): Outcome<never> {
  return { ok: false, error: { code: 'io', message: UNREACHABLE, details: { detail } } };
}

/** Uploads the server is too busy to take now (429) are sent again, this many times at most. */
const BUSY_RETRIES = 5;

function isOutcome(value: unknown): value is Outcome<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const ok = (value as { ok: unknown }).ok;
  if (ok === true) return 'value' in value;
  if (ok !== false || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error;
}

async function readOutcome(response: Response): Promise<Outcome<unknown>> {
  // The server's token cookie is missing or stale: say what to do, whatever the body says.
  if (response.status === 401) {
    return { ok: false, error: { code: 'unsupported', message: SIGNED_OUT } };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return unreachable(`HTTP ${response.status} with a body that is not JSON`);
  }
  return isOutcome(body) ? body : unreachable(`HTTP ${response.status} without an Outcome body`);
}

async function postCall(name: CallName, args: unknown): Promise<Outcome<unknown>> {
  try {
    // The server takes calls only as JSON, from its own origin, with its HttpOnly token cookie
    // (sent by the browser: same origin).
    const response = await fetch(`/api/call/${encodeURIComponent(name)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args ?? {}),
    });
    return await readOutcome(response);
  } catch (err) {
    return unreachable(err instanceof Error ? err.message : String(err));
  }
}

type Listener = (payload: unknown) => void;

/** One lazily opened WebSocket shared by every subscriber, reopened with backoff when it drops. */
function createEventSocket() {
  const listeners = new Map<EventName, Set<Listener>>();
  const known = new Set<string>(EVENT_NAMES);
  let socket: WebSocket | null = null;
  let retryMs = 500;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function dispatch(raw: unknown) {
    if (typeof raw !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return; // A malformed frame is not worth breaking the stream for.
    }
    if (typeof message !== 'object' || message === null) return;
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (typeof event !== 'string' || !known.has(event)) return;
    for (const listener of listeners.get(event as EventName) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`Listener for ${event} failed`, err);
      }
    }
  }

  function connect() {
    if (socket || retryTimer) return;
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${window.location.host}/api/events`);
    socket = ws;
    ws.onopen = () => {
      retryMs = 500;
    };
    ws.onmessage = (e) => dispatch(e.data);
    ws.onclose = () => {
      socket = null;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  }

  return {
    on<E extends EventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      // The socket only ever delivers the payload that belongs to `event` (checked by the server).
      const untyped = listener as Listener;
      set.add(untyped);
      connect();
      return () => {
        set.delete(untyped);
      };
    },
  };
}

const browserShell: StudioShell = {
  kind: 'browser',
  mediaUrl(kind: MediaKind, id: string | number) {
    return `/media/${kind}/${encodeURIComponent(String(id))}`;
  },
  pathForFile() {
    return null;
  },
  async uploadFile({ uploadId, relativePath, file }: UploadFileArgs) {
    try {
      const url = `/api/uploads/${encodeURIComponent(uploadId)}?path=${encodeURIComponent(relativePath)}`;
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(url, {
          method: 'PUT',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/octet-stream' },
          body: file,
        });
        if (response.status !== 429 || attempt >= BUSY_RETRIES) {
          return (await readOutcome(response)) as Outcome<null>;
        }
        const header = response.headers.get('retry-after');
        const seconds = header !== null && Number(header) >= 0 ? Number(header) : 1;
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000 * (attempt + 1)));
      }
    } catch (err) {
      return unreachable(err instanceof Error ? err.message : String(err));
    }
  },
  exportDownloadUrl(zipId: string) {
    return `/api/exports/${encodeURIComponent(zipId)}`;
  },
};

export function createHttpStudio(): StudioApi {
  const calls: Record<string, Record<string, (args: unknown) => Promise<Outcome<unknown>>>> = {};
  for (const name of CALL_NAMES) {
    const [domain, verb] = splitCallName(name);
    const group = (calls[domain] ??= {});
    group[verb] = (args) => postCall(name, args);
  }
  const events = createEventSocket();
  // CALL_NAMES lists every call (checked in the contract), so the built object is complete.
  const callApi = calls as unknown as StudioCallApi;
  return {
    ...callApi,
    on: events.on,
    shell: browserShell,
  } satisfies StudioApi;
}
