import type http from 'node:http';

/**
 * Sent on every response. The page may only load and talk to this server; Mantine injects its
 * styles at run time, hence 'unsafe-inline' for styles (and for styles only). Images also come as
 * data: and blob: URLs (previews of files the person picked).
 */
export function contentSecurityPolicy(ownWebSocket: string | null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // 'self' covers ws: to the same host in CSP 3, but not in every browser yet.
    `connect-src 'self'${ownWebSocket ? ` ${ownWebSocket}` : ''}`,
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function setSecurityHeaders(res: http.ServerResponse, ownWebSocket: string | null): void {
  res.setHeader('content-security-policy', contentSecurityPolicy(ownWebSocket));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}
