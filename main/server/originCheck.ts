import type http from 'node:http';
import os from 'node:os';
import { isWildcardAddress } from './listenAddress';

/**
 * The Host names this server answers to, each with its port: a page on evil.example that makes
 * its own name resolve to 127.0.0.1 (DNS rebinding) still sends `Host: evil.example`, and is
 * refused. Loopback names always; the bound address; and, when a person chose to listen on every
 * interface, this machine's own addresses and name.
 */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  names.add(bracketed(boundHost.toLowerCase()));
  if (isWildcardAddress(boundHost)) {
    names.add(os.hostname().toLowerCase());
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const address of addresses ?? []) names.add(bracketed(address.address.toLowerCase()));
    }
  }
  const allowed = new Set<string>();
  for (const name of names) {
    allowed.add(`${name}:${port}`);
    // A browser leaves out the scheme's default port.
    if (port === 80) allowed.add(name);
  }
  return allowed;
}

export function hostAllowed(req: http.IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const host = req.headers.host;
  return host !== undefined && allowed.has(host.toLowerCase());
}

/** GET and HEAD only read; everything else (POST calls, PUT uploads) changes state. */
export function changesState(method: string | undefined): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/**
 * Whether a request may change state (or open the event socket) as far as its origin goes: a
 * browser always sends Origin on these, so it must be this server's own; only a script holding
 * the bearer token may leave it out.
 */
export function originAllowed(req: http.IncomingMessage, hasBearer: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return hasBearer;
  const host = req.headers.host;
  return host !== undefined && origin.toLowerCase() === `http://${host.toLowerCase()}`;
}

/** The request's own origin for the CSP's connect-src (its Host has been checked already). */
export function ownWebSocketOrigin(req: http.IncomingMessage): string | null {
  const host = req.headers.host;
  return host ? `ws://${host.toLowerCase()}` : null;
}

function bracketed(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}
