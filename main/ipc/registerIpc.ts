import { ipcMain, type WebContents } from 'electron';
import {
  CALL_NAMES,
  ELECTRON_CALL_CHANNEL_PREFIX,
  ELECTRON_EVENT_CHANNEL,
  EVENT_NAMES,
} from '../../preload/contract';
import { dispatchCall } from '../core/dispatch';
import type { StudioCore } from '../core/studioCore';

/** One IPC channel per contract call, each a thin hop to the shared dispatcher. */
export function registerCallHandlers(core: StudioCore): void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(`${ELECTRON_CALL_CHANNEL_PREFIX}${name}`, (_event, args: unknown) =>
      dispatchCall(core.handlers, name, args),
    );
  }
}

/** Forwards every core event to a window; returns the unsubscribe. */
export function forwardEvents(core: StudioCore, target: WebContents): () => void {
  const offs = EVENT_NAMES.map((event) =>
    core.events.on(event, (payload) => {
      if (!target.isDestroyed()) target.send(ELECTRON_EVENT_CHANNEL, { event, payload });
    }),
  );
  return () => offs.forEach((off) => off());
}
