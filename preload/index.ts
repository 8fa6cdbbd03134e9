import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  CALL_NAMES,
  ELECTRON_CALL_CHANNEL_PREFIX,
  ELECTRON_EVENT_CHANNEL,
  splitCallName,
  type EventName,
  type StudioApi,
  type StudioCallApi,
  type StudioEvents,
} from './contract';

// The sandboxed bridge: one function per contract call (no generic invoke), events by name, and
// the two desktop-only helpers. The renderer sees nothing else of Electron.

function buildCalls(): StudioCallApi {
  const calls: Record<string, Record<string, (args: unknown) => Promise<unknown>>> = {};
  for (const name of CALL_NAMES) {
    const [domain, verb] = splitCallName(name);
    const channel = `${ELECTRON_CALL_CHANNEL_PREFIX}${name}`;
    (calls[domain] ??= {})[verb] = (args: unknown) => ipcRenderer.invoke(channel, args ?? {});
  }
  // The loop above fills exactly the shape of StudioCallApi, one entry per CALL_NAMES.
  return calls as unknown as StudioCallApi;
}

const studio = {
  ...buildCalls(),
  on<E extends EventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
    const handler = (_: unknown, message: { event: EventName; payload: unknown }): void => {
      if (message.event === event) listener(message.payload as StudioEvents[E]);
    };
    ipcRenderer.on(ELECTRON_EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(ELECTRON_EVENT_CHANNEL, handler);
  },
  shell: {
    kind: 'electron' as const,
    mediaUrl: (kind, id) => `studio-media://${kind}/${id}`,
    pathForFile: (file) => webUtils.getPathForFile(file) || null,
    uploadFile: () =>
      Promise.resolve({
        ok: false as const,
        error: {
          code: 'unsupported' as const,
          message: 'The desktop app imports folders by path.',
        },
      }),
    exportDownloadUrl: () => null,
  },
} satisfies StudioApi;

contextBridge.exposeInMainWorld('studio', studio);
