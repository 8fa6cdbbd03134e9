import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  externalLinkToOpen,
  isAllowedNavigation,
  isPermissionGranted,
  isTrustedSender,
  trustedRenderer,
  type TrustedRenderer,
} from './senderPolicy';

const indexFile = path.resolve('/opt/studio/resources/app.asar/out/renderer/index.html');
const built = trustedRenderer({ isPackaged: true, indexFile });
const indexUrl = pathToFileURL(indexFile).href;
const dev: TrustedRenderer = trustedRenderer({
  isPackaged: false,
  indexFile,
  devServerUrl: 'http://localhost:5173/',
});

describe('trustedRenderer', () => {
  it('is the built index.html when packaged, whatever ELECTRON_RENDERER_URL says', () => {
    expect(built).toEqual({ kind: 'file', url: indexUrl });
    expect(
      trustedRenderer({ isPackaged: true, indexFile, devServerUrl: 'http://localhost:5173/' }),
    ).toEqual(built);
  });

  it('is the dev server only when unpackaged and on this machine', () => {
    expect(dev).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    });
    for (const devServerUrl of ['http://evil.example:5173/', 'file:///tmp/x.html', 'not a url']) {
      expect(trustedRenderer({ isPackaged: false, indexFile, devServerUrl })).toEqual(built);
    }
  });
});

describe('isTrustedSender', () => {
  it("accepts the app's own page with any route in its fragment or query", () => {
    expect(isTrustedSender(indexUrl, built)).toBe(true);
    expect(isTrustedSender(`${indexUrl}#/datasets/3`, built)).toBe(true);
    expect(isTrustedSender(`${indexUrl}?x=1`, built)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/#/runs', dev)).toBe(true);
  });

  it('refuses other files, other origins, and frames that are gone', () => {
    const sibling = pathToFileURL(path.join(path.dirname(indexFile), 'evil.html')).href;
    expect(isTrustedSender(sibling, built)).toBe(false);
    expect(isTrustedSender('file:///tmp/index.html', built)).toBe(false);
    expect(isTrustedSender('https://example.com/index.html', built)).toBe(false);
    expect(isTrustedSender('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedSender(indexUrl, dev)).toBe(false);
    expect(isTrustedSender(undefined, built)).toBe(false);
    expect(isTrustedSender('', built)).toBe(false);
    expect(isTrustedSender('about:blank', built)).toBe(false);
  });
});

describe('navigation, new windows and permissions', () => {
  it('allows no navigation away from the page', () => {
    expect(isAllowedNavigation(`${indexUrl}#/runs`, built)).toBe(true);
    expect(isAllowedNavigation('https://example.com/', built)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', built)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', built)).toBe(false);
  });

  it('opens only web links in the system browser', () => {
    expect(externalLinkToOpen('https://github.com/x')).toBe('https://github.com/x');
    expect(externalLinkToOpen('http://localhost:8080/a')).toBe('http://localhost:8080/a');
    expect(externalLinkToOpen('file:///home/me/.ssh/id_rsa')).toBeNull();
    expect(externalLinkToOpen('smb://server/share')).toBeNull();
    expect(externalLinkToOpen('ms-msdt:/id')).toBeNull();
    expect(externalLinkToOpen('garbage')).toBeNull();
  });

  it('grants the clipboard write to the own page only and denies everything else', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', indexUrl, built)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://example.com/', built)).toBe(
      false,
    );
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid']) {
      expect(isPermissionGranted(permission, indexUrl, built)).toBe(false);
    }
  });
});
