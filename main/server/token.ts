import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

/**
 * The server's one secret, as Jupyter does it: a random token per launch, printed once in the
 * URL, exchanged for an HttpOnly cookie, or sent as `Authorization: Bearer` by scripts.
 */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookies ignore ports, so two servers on one machine each get their own cookie name. */
export function cookieNameFor(port: number): string {
  return `studio-token-${port}`;
}

export class TokenCheck {
  private readonly digest: Buffer;

  constructor(
    token: string,
    readonly cookieName: string,
  ) {
    this.digest = sha256(token);
  }

  /** Constant-time: both sides are hashed first, so lengths match and nothing leaks by timing. */
  matches(candidate: string | undefined | null): boolean {
    if (!candidate) return false;
    return timingSafeEqual(this.digest, sha256(candidate));
  }

  /** The bearer token of a request, when it has an `Authorization: Bearer …` header. */
  bearer(req: http.IncomingMessage): string | null {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return match?.[1] ?? null;
  }

  hasValidBearer(req: http.IncomingMessage): boolean {
    return this.matches(this.bearer(req));
  }

  hasValidCookie(req: http.IncomingMessage): boolean {
    return this.matches(readCookie(req.headers.cookie, this.cookieName));
  }

  /** Signed in by cookie (the browser) or bearer header (the CLI, tests). */
  authorizes(req: http.IncomingMessage): boolean {
    return this.hasValidBearer(req) || this.hasValidCookie(req);
  }

  /** HttpOnly keeps it from scripts; SameSite=Strict keeps other sites' requests from carrying it. */
  setCookieHeader(token: string): string {
    return `${this.cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
