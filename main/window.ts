import path from 'node:path';
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import {
  externalLinkToOpen,
  isAllowedNavigation,
  isPermissionGranted,
  type TrustedRenderer,
} from './ipc/senderPolicy';

/** The built renderer page, beside this bundle (out/main → out/renderer). */
export const RENDERER_INDEX = path.join(__dirname, '..', 'renderer', 'index.html');

/**
 * The studio window: context isolation on, no Node in the page, a sandboxed preload. What it may
 * navigate to, open and be granted is decided in ./ipc/senderPolicy and wired by
 * `hardenWebContents` for every web contents the app creates.
 */
export function createMainWindow(renderer: TrustedRenderer): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    title: 'Generative Studio',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(renderer.url);
  return window;
}

/** No navigation away from the app, no new windows (web links go to the system browser), no webviews. */
export function hardenWebContents(contents: WebContents, renderer: TrustedRenderer): void {
  const refuseForeign = (event: { url: string; preventDefault: () => void }): void => {
    if (!isAllowedNavigation(event.url, renderer)) event.preventDefault();
  };
  contents.on('will-navigate', refuseForeign);
  contents.on('will-redirect', refuseForeign);
  contents.on('will-frame-navigate', refuseForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const link = externalLinkToOpen(url);
    if (link) void shell.openExternal(link);
    return { action: 'deny' };
  });
}

/** Permissions (camera, location, notifications, devices…) are denied unless the policy grants them. */
export function denyPermissionsByDefault(session: Session, renderer: TrustedRenderer): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, renderer));
  });
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    isPermissionGranted(permission, details.requestingUrl ?? contents?.getURL(), renderer),
  );
  session.setDevicePermissionHandler(() => false);
}
