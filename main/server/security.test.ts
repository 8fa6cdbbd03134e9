import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { startServer } from './httpServer';
import { checkListenAddress, ListenAddressError } from './listenAddress';
import { serverOptionsFrom } from './serveOptions';
import {
  openEvents,
  pageCall,
  rawRequest,
  startTestServer,
  TEST_TOKEN,
  type TestServer,
} from './serverTestKit';
import { StudioCore } from '../core/studioCore';

// Every finding of issue 10 as a real request against a running server on 127.0.0.1.

let studio: TestServer;
afterEach(async () => {
  await studio?.close();
});

const json = { 'content-type': 'application/json' };
const list = '/api/call/datasets%3Alist';

describe('who may call the server', () => {
  it('refuses a call from a page on another site, even one carrying the token', async () => {
    studio = await startTestServer();
    const foreign = { ...json, origin: 'https://evil.example' };
    const byCookie = await rawRequest(
      studio,
      'POST',
      list,
      { ...foreign, cookie: studio.cookie },
      '{}',
    );
    expect(byCookie.status).toBe(403);
    const byBearer = await rawRequest(studio, 'POST', list, { ...foreign, ...studio.bearer }, '{}');
    expect(byBearer.status).toBe(403);
    // The same call from the server's own page works.
    expect(await pageCall(studio, 'datasets:list', {})).toEqual({ ok: true, value: [] });
  });

  it('refuses a cookie-only call that has no Origin (only the bearer header may leave it out)', async () => {
    studio = await startTestServer();
    const res = await rawRequest(studio, 'POST', list, { ...json, cookie: studio.cookie }, '{}');
    expect(res.status).toBe(403);
    const scripted = await rawRequest(studio, 'POST', list, { ...json, ...studio.bearer }, '{}');
    expect(JSON.parse(scripted.body)).toEqual({ ok: true, value: [] });
  });

  it('takes calls only as application/json: text/plain (a form a page may send) is 415', async () => {
    studio = await startTestServer();
    const headers = { cookie: studio.cookie, origin: studio.origin };
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const res = await rawRequest(
        studio,
        'POST',
        list,
        { ...headers, 'content-type': type },
        '{}',
      );
      expect(res.status, type).toBe(415);
    }
  });

  it('refuses a foreign Host (DNS rebinding), whatever else the request carries', async () => {
    studio = await startTestServer();
    const { port } = new URL(studio.server.url);
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1:1']) {
      const res = await rawRequest(
        studio,
        'POST',
        list,
        {
          ...json,
          ...studio.bearer,
          host,
          origin: `http://${host}`,
        },
        '{}',
      );
      expect(res.status, host).toBe(403);
      const page = await rawRequest(studio, 'GET', '/', { cookie: studio.cookie, host });
      expect(page.status, host).toBe(403);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const res = await rawRequest(studio, 'GET', '/', { cookie: studio.cookie, host });
      expect(res.status, host).toBe(200);
    }
  });

  it('answers 401 without the token for calls, media, exports, pages and the event socket', async () => {
    studio = await startTestServer();
    const sameOrigin = { origin: studio.origin };
    expect((await rawRequest(studio, 'POST', list, { ...json, ...sameOrigin }, '{}')).status).toBe(
      401,
    );
    const wrong = { cookie: `${studio.cookie.split('=')[0]}=wrong-token` };
    expect(
      (await rawRequest(studio, 'POST', list, { ...json, ...sameOrigin, ...wrong }, '{}')).status,
    ).toBe(401);
    expect(
      (await rawRequest(studio, 'POST', list, { ...json, authorization: 'Bearer nope' }, '{}'))
        .status,
    ).toBe(401);
    const sha = 'a'.repeat(64);
    expect((await rawRequest(studio, 'GET', `/media/thumb/${sha}`, {})).status).toBe(401);
    expect(
      (await rawRequest(studio, 'GET', '/api/exports/export-2026-01-01T00-00-00-000Z', {})).status,
    ).toBe(401);
    expect((await rawRequest(studio, 'GET', '/', {})).status).toBe(401);
    expect(await openEvents(studio, sameOrigin)).toEqual({ opened: false, status: 401 });
  });

  it('refuses the event socket to a page on another site', async () => {
    studio = await startTestServer();
    const foreign = await openEvents(studio, {
      origin: 'https://evil.example',
      cookie: studio.cookie,
    });
    expect(foreign).toEqual({ opened: false, status: 403 });
    const rebound = await openEvents(studio, {
      origin: studio.origin,
      cookie: studio.cookie,
      host: 'evil.example',
    });
    expect(rebound).toEqual({ opened: false, status: 403 });
  });

  it('swaps the token in the printed URL for an HttpOnly, SameSite=Strict cookie that then works', async () => {
    studio = await startTestServer({ token: undefined });
    const url = new URL(studio.server.tokenUrl);
    const token = url.searchParams.get('token') as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(token).toBe(studio.server.token);

    const exchanged = await rawRequest(studio, 'GET', `/gallery?token=${token}&x=1`, {});
    expect(exchanged.status).toBe(302);
    expect(exchanged.headers.location).toBe('/gallery?x=1');
    const setCookie = exchanged.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0] as string;

    const page = await rawRequest(studio, 'GET', '/gallery?x=1', { cookie });
    expect(page.body).toContain('<title>studio</title>');
    const call = await rawRequest(
      studio,
      'POST',
      list,
      { ...json, cookie, origin: studio.origin },
      '{}',
    );
    expect(JSON.parse(call.body)).toEqual({ ok: true, value: [] });
    const events = await openEvents(studio, { cookie, origin: studio.origin });
    expect(events.opened).toBe(true);
    if (events.opened) events.ws.close();

    expect((await rawRequest(studio, 'GET', '/?token=not-it', {})).status).toBe(401);
  });
});

describe('what a request may ask for', () => {
  it('refuses an upload larger than the limit by its Content-Length, before reading it', async () => {
    studio = await startTestServer({ uploadLimits: { maxFileBytes: 1024 } });
    const begun = (await pageCall(studio, 'datasets:beginUpload', { name: 'x' })) as {
      value: { uploadId: string };
    };
    const headers = {
      cookie: studio.cookie,
      origin: studio.origin,
      'content-length': String(1024 ** 3),
    };
    // Only the headers are sent: the answer must come without the gigabyte.
    const res = await rawRequest(
      studio,
      'PUT',
      `/api/uploads/${begun.value.uploadId}?path=a.png`,
      headers,
      null,
    );
    expect(res.status).toBe(413);
  });

  it('counts an upload against its file quota, and streams what it accepts to disk', async () => {
    studio = await startTestServer({ uploadLimits: { maxFiles: 1 } });
    const begun = (await pageCall(studio, 'datasets:beginUpload', { name: 'x' })) as {
      value: { uploadId: string };
    };
    const put = (rel: string) =>
      rawRequest(
        studio,
        'PUT',
        `/api/uploads/${begun.value.uploadId}?path=${rel}`,
        {
          cookie: studio.cookie,
          origin: studio.origin,
        },
        Buffer.from('hello'),
      );
    expect((await put('a.txt')).status).toBe(200);
    expect((await put('b.txt')).status).toBe(413);
    const staged = path.join(studio.core.dataDir, 'uploads', begun.value.uploadId);
    expect(await fs.readdir(staged)).toEqual(['a.txt']);
    expect(await fs.readFile(path.join(staged, 'a.txt'), 'utf8')).toBe('hello');
  });

  it('receives at most maxConcurrent files at once, and asks the rest to retry (429)', async () => {
    studio = await startTestServer({ uploadLimits: { maxConcurrent: 1 } });
    const begun = (await pageCall(studio, 'datasets:beginUpload', { name: 'x' })) as {
      value: { uploadId: string };
    };
    const target = `/api/uploads/${begun.value.uploadId}?path=`;
    const headers = { cookie: studio.cookie, origin: studio.origin };
    // The first file's body is held back, so it is still being received.
    const slow = http.request({
      host: '127.0.0.1',
      port: new URL(studio.server.url).port,
      method: 'PUT',
      path: `${target}slow.txt`,
      headers: { ...headers, host: studio.host, 'content-length': '5' },
    });
    const slowAnswer = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      slow.on('error', reject);
    });
    slow.write('he');
    await expect
      .poll(async () => (await rawRequest(studio, 'PUT', `${target}b.txt`, headers, 'x')).status)
      .toBe(429);
    slow.end('llo');
    expect(await slowAnswer).toBe(200);
    expect((await rawRequest(studio, 'PUT', `${target}b.txt`, headers, 'x')).status).toBe(200);
  });

  it('answers 400, not 500, to a broken %-escape in the address', async () => {
    studio = await startTestServer();
    const res = await rawRequest(
      studio,
      'POST',
      '/api/call/datasets%3list%',
      {
        ...json,
        ...studio.bearer,
      },
      '{}',
    );
    expect(res.status).toBe(400);
    expect((await rawRequest(studio, 'GET', '/media/thumb/%E0%A4%A', studio.bearer)).status).toBe(
      400,
    );
  });

  it('sends CSP, nosniff, no-referrer and DENY on pages, calls and refusals alike', async () => {
    studio = await startTestServer();
    const responses = [
      await rawRequest(studio, 'GET', '/', { cookie: studio.cookie }),
      await rawRequest(studio, 'POST', list, { ...json, ...studio.bearer }, '{}'),
      await rawRequest(studio, 'GET', '/', {}),
      await rawRequest(studio, 'GET', '/', { host: 'evil.example' }),
    ];
    for (const res of responses) {
      const csp = res.headers['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect(responses[0]?.headers['content-security-policy']).toContain(
      `connect-src 'self' ws://${studio.host}`,
    );
  });
});

describe('where the server listens', () => {
  it('refuses a non-loopback address unless --allow-remote is given, and then warns', async () => {
    const { dir, cleanup } = tempDir();
    const core = new StudioCore({ dataDir: dir, shell: 'browser', workerPath: '/nonexistent' });
    try {
      await expect(
        startServer(core, { host: '0.0.0.0', port: 0, rendererDir: dir, token: TEST_TOKEN }),
      ).rejects.toThrow(ListenAddressError);
      const flags = {
        port: '0',
        root: [],
        maxFileMb: '1',
        maxUploadMb: '1',
        maxUploadFiles: '1',
        maxConcurrentUploads: '1',
      };
      expect(() => serverOptionsFrom({ ...flags, host: '192.168.1.5' }, dir)).toThrow(
        /--allow-remote/,
      );
      expect(
        serverOptionsFrom({ ...flags, host: '192.168.1.5', allowRemote: true }, dir).host,
      ).toBe('192.168.1.5');
      expect(serverOptionsFrom({ ...flags, host: '127.0.0.1' }, dir).host).toBe('127.0.0.1');
      expect(checkListenAddress('0.0.0.0', true).warning).toMatch(
        /^WARNING: .*reachable from other/,
      );
      expect(checkListenAddress('::1', false).warning).toBeUndefined();
    } finally {
      await core.close();
      await cleanup();
    }
  });
});
