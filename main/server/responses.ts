import { createReadStream } from 'node:fs';
import type http from 'node:http';
import type { ErrorCode, Outcome } from '../../preload/contract';

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: Outcome<unknown>,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extraHeaders });
  res.end(JSON.stringify(body));
}

export function failure(message: string, code: ErrorCode = 'invalid-input'): Outcome<never> {
  return { ok: false, error: { code, message } };
}

export function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export function sendFile(
  res: http.ServerResponse,
  file: string,
  type: string,
  disposition?: string,
): void {
  res.writeHead(200, {
    'content-type': type,
    'cache-control': 'no-cache',
    ...(disposition ? { 'content-disposition': disposition } : {}),
  });
  createReadStream(file).pipe(res);
}
