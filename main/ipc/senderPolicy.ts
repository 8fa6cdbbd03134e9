import { pathToFileURL } from 'node:url';

// What the Electron shell trusts, as plain functions (no electron import) so each decision is
// unit-tested here, where the Electron binary cannot run. The shell only wires them to events.

/** The one page allowed to talk to main: the built renderer, or the dev server in development. */
export type TrustedRenderer =
  { kind: 'file'; url: string } | { kind: 'dev-server'; url: string; origin: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The built renderer's index.html, unless the app is not packaged and ELECTRON_RENDERER_URL
 * names a dev server on this machine. A packaged app never takes its code from an environment
 * variable: anyone who can set one could otherwise point the window, and its IPC, at their page.
 */
export function trustedRenderer(options: {
  isPackaged: boolean;
  indexFile: string;
  devServerUrl?: string;
}): TrustedRenderer {
  const dev = options.isPackaged ? null : parseUrl(options.devServerUrl);
  if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:')) {
    if (LOOPBACK_HOSTS.has(dev.hostname)) {
      return { kind: 'dev-server', url: dev.href, origin: dev.origin };
    }
  }
  return { kind: 'file', url: pathToFileURL(options.indexFile).href };
}

function parseUrl(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The URL without its query and fragment: the renderer's routes live in the fragment. */
function documentOf(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Whether a frame at `url` is the studio's own page: the exact index.html for a file (not any
 * file on the disk), the dev server's origin in development. A missing URL (a frame that is
 * gone) is not trusted.
 */
export function isTrustedSender(
  url: string | null | undefined,
  expected: TrustedRenderer,
): boolean {
  const sender = parseUrl(url);
  if (!sender) return false;
  if (expected.kind === 'dev-server') return sender.origin === expected.origin;
  const own = new URL(expected.url);
  return sender.protocol === 'file:' && documentOf(sender) === documentOf(own);
}

/**
 * will-navigate, will-redirect, will-frame-navigate: the app is one page, so every navigation is
 * refused except to that page itself (a reload spelled as a navigation).
 */
export function isAllowedNavigation(url: string, expected: TrustedRenderer): boolean {
  return isTrustedSender(url, expected);
}

/**
 * Links the page asks to open in a new window go to the system browser instead, and only web
 * links: never file:, custom schemes or anything a crafted file name could smuggle in.
 */
export function externalLinkToOpen(url: string): string | null {
  const link = parseUrl(url);
  return link && (link.protocol === 'https:' || link.protocol === 'http:') ? link.href : null;
}

/**
 * What the page may use beyond plain web content: writing text to the clipboard (a copy button),
 * nothing else: no camera, microphone, location, notifications, MIDI, HID, serial… And only the
 * studio's own page gets it; everything else is denied.
 */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionGranted(
  permission: string,
  requestingUrl: string | null | undefined,
  expected: TrustedRenderer,
): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isTrustedSender(requestingUrl, expected);
}
