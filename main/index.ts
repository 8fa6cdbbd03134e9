import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, net, protocol, session } from 'electron';
import type { MediaKind } from '../preload/contract';
import { resolveDataDir } from './common/dataDir';
import { StudioCore } from './core/studioCore';
import { forwardEvents, registerCallHandlers } from './ipc/registerIpc';
import { trustedRenderer } from './ipc/senderPolicy';
import {
  createMainWindow,
  denyPermissionsByDefault,
  hardenWebContents,
  RENDERER_INDEX,
} from './window';

// The Electron shell: lifecycle, window and wiring only. Everything the studio does lives in the
// core (./core), which the headless server and the command line share.

const MEDIA_SCHEME = 'studio-media';
protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let core: StudioCore | null = null;

// One desktop window per user: a second launch focuses the first instead of fighting over the
// data dir (which the core's lock would refuse anyway, with a less friendly message).
const firstInstance = app.requestSingleInstanceLock();
if (!firstInstance) app.quit();
app.on('second-instance', () => {
  const window = BrowserWindow.getAllWindows()[0];
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
});

// In development (`npm start`) the Electron build of better-sqlite3 sits in .electron-native/.
// A packaged app loads only its own native module: an inherited variable naming another file
// would run that file's code inside the app.
const devBinding = path.join(__dirname, '..', '..', '.electron-native', 'binding-path');
if (app.isPackaged) delete process.env.STUDIO_SQLITE_BINDING;
else if (!process.env.STUDIO_SQLITE_BINDING && existsSync(devBinding)) {
  process.env.STUDIO_SQLITE_BINDING = readFileSync(devBinding, 'utf8').trim();
}

// The one page that may talk to main (see ./ipc/senderPolicy): ELECTRON_RENDERER_URL counts
// only in an unpackaged app.
const renderer = trustedRenderer({
  isPackaged: app.isPackaged,
  indexFile: RENDERER_INDEX,
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
});

// Every web contents, the window's and any a bug or an exploit might create, gets the same rules.
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, renderer));

function openWindow(studio: StudioCore): void {
  const window = createMainWindow(renderer);
  const stopForwarding = forwardEvents(studio, window.webContents, renderer);
  window.on('closed', stopForwarding);
}

app.whenReady().then(() => {
  if (!firstInstance) return;
  denyPermissionsByDefault(session.defaultSession, renderer);
  let studio: StudioCore;
  try {
    studio = new StudioCore({
      dataDir: resolveDataDir(undefined, app.getPath('userData')),
      shell: 'electron',
      workerPath: path.join(__dirname, 'mlWorker.js'),
    });
  } catch (error) {
    // Most likely a studio server or command owns the data dir: say who, then leave.
    dialog.showErrorBox(
      'Generative Studio cannot open its data',
      error instanceof Error ? error.message : String(error),
    );
    app.exit(1);
    return;
  }
  core = studio;
  // studio-media://thumb/<sha> → the file in the store; nothing outside the store is reachable.
  protocol.handle(MEDIA_SCHEME, (request) => {
    const url = new URL(request.url);
    const file = studio.mediaPath(url.hostname as MediaKind, url.pathname.slice(1));
    return file
      ? net.fetch(pathToFileURL(file).toString())
      : new Response('not found', { status: 404 });
  });
  registerCallHandlers(studio, renderer);
  void studio.backend();
  openWindow(studio);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow(studio);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let closing = false;
app.on('will-quit', (event) => {
  if (!core || closing) return;
  // Let running trainings write their final state before the process ends.
  event.preventDefault();
  closing = true;
  void core.close().finally(() => app.exit(0));
});
