import { ipcMain, type WebContents } from 'electron';
import {
  CALL_NAMES,
  ELECTRON_CALL_CHANNEL_PREFIX,
  ELECTRON_EVENT_CHANNEL,
  EVENT_NAMES,
  type Outcome,
} from '../../preload/contract';
import { dispatchCall } from '../core/dispatch';
import type { StudioCore } from '../core/studioCore';
import { isTrustedSender, type TrustedRenderer } from './senderPolicy';

const untrusted: Outcome<never> = {
  ok: false,
  error: {
    code: 'unsupported',
    message: 'This call came from a page that is not the studio itself; it was refused.',
  },
};

/**
 * One IPC channel per contract call, each a thin hop to the shared dispatcher, and only for the
 * studio's own page: a frame that is anything else (navigated, injected, gone) gets a refusal.
 */
export function registerCallHandlers(core: StudioCore, renderer: TrustedRenderer): void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(`${ELECTRON_CALL_CHANNEL_PREFIX}${name}`, (event, args: unknown) =>
      isTrustedSender(event.senderFrame?.url, renderer)
        ? dispatchCall(core.handlers, name, args)
        : untrusted,
    );
  }
}

/** Forwards every core event to a window while it shows the studio; returns the unsubscribe. */
export function forwardEvents(
  core: StudioCore,
  target: WebContents,
  renderer: TrustedRenderer,
): () => void {
  const offs = EVENT_NAMES.map((event) =>
    core.events.on(event, (payload) => {
      if (target.isDestroyed() || !isTrustedSender(target.getURL(), renderer)) return;
      target.send(ELECTRON_EVENT_CHANNEL, { event, payload });
    }),
  );
  return () => offs.forEach((off) => off());
}
