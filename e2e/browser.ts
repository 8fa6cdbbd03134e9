import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * The Chromium the end-to-end specs drive: STUDIO_CHROMIUM if set, else the system's (Debian's
 * package, or Chrome), else Playwright's own download where one exists. Playwright cannot fetch
 * its browser offline, so the system's comes first.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const named = env.STUDIO_CHROMIUM;
  if (named) return existsSync(named) ? named : null;
  const system = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ].find((file) => existsSync(file));
  if (system) return system;
  try {
    const own = chromium.executablePath();
    return own && existsSync(own) ? own : null;
  } catch {
    return null;
  }
}

/** The one line a person needs when no browser is there. */
export function missingChromiumMessage(env: NodeJS.ProcessEnv = process.env): string {
  return env.STUDIO_CHROMIUM
    ? `STUDIO_CHROMIUM=${env.STUDIO_CHROMIUM} does not exist: point it at a Chromium or Chrome binary.`
    : 'No Chromium for the end-to-end tests: install one (Debian: apt-get install chromium) or set STUDIO_CHROMIUM=/path/to/chrome.';
}
