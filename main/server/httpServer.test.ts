import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pngBytes } from '../testing/fixtures';
import { startTestServer, type TestServer } from './serverTestKit';

let studio: TestServer;

beforeEach(async () => {
  studio = await startTestServer();
});
afterEach(async () => {
  await studio.close();
});

/** As the CLI and scripts call it: the bearer token, no Origin. */
async function call(name: string, args: unknown): Promise<unknown> {
  const res = await fetch(new URL(`/api/call/${encodeURIComponent(name)}`, studio.server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...studio.bearer },
    body: JSON.stringify(args),
  });
  return res.json();
}

function get(pathname: string): Promise<Response> {
  return fetch(new URL(pathname, studio.server.url), { headers: studio.bearer });
}

describe('the headless server', () => {
  it('answers contract calls with Outcome data, including errors', async () => {
    expect(await call('datasets:list', {})).toEqual({ ok: true, value: [] });
    expect(await call('datasets:get', { datasetId: 9 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await call('datasets:get', { datasetId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('imports an uploaded folder, pushes events, and serves thumbnails but nothing outside the store', async () => {
    const events: string[] = [];
    const ws = new WebSocket(new URL('/api/events', studio.server.url.replace('http', 'ws')), {
      headers: studio.bearer,
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.on('message', (data) => events.push((JSON.parse(String(data)) as { event: string }).event));

    const begun = (await call('datasets:beginUpload', { name: 'shapes' })) as {
      value: { uploadId: string };
    };
    const { uploadId } = begun.value;
    for (const [rel, bytes] of [
      ['round/a.png', await pngBytes(1)],
      ['round/b.png', await pngBytes(2)],
      ['readme.txt', Buffer.from('hello')],
    ] as const) {
      const res = await fetch(
        new URL(`/api/uploads/${uploadId}?path=${encodeURIComponent(rel)}`, studio.server.url),
        {
          method: 'PUT',
          headers: studio.bearer,
          body: new Uint8Array(bytes),
        },
      );
      expect(await res.json()).toEqual({ ok: true, value: null });
    }
    const escape = await fetch(
      new URL(`/api/uploads/${uploadId}?path=${encodeURIComponent('../x.png')}`, studio.server.url),
      {
        method: 'PUT',
        headers: studio.bearer,
        body: new TextEncoder().encode('x'),
      },
    );
    expect(escape.status).toBe(400);

    const finished = (await call('datasets:finishUpload', { uploadId })) as {
      value: {
        importedCount: number;
        skipped: { sourcePath: string }[];
        dataset: { id: number; sourcePath: string };
      };
    };
    expect(finished.value.importedCount).toBe(2);
    expect(finished.value.skipped.map((s) => s.sourcePath)).toEqual(['shapes/readme.txt']);
    await expect.poll(() => events).toContain('datasets:changed');

    const page = (await call('datasets:browse', {
      datasetId: finished.value.dataset.id,
      offset: 0,
      limit: 10,
    })) as {
      value: { items: { blobSha: string }[] };
    };
    const sha = page.value.items[0]?.blobSha as string;
    const thumb = await get(`/media/thumb/${sha}`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/png');
    // Named by its content's hash: the browser keeps it and a scrolled-back gallery asks again for none.
    expect(thumb.headers.get('cache-control')).toContain('immutable');
    expect((await get('/media/blob/..%2F..%2Fstudio.db')).status).toBe(404);
    expect((await get('/media/sample/1')).status).toBe(404);
    ws.close();
  });

  it('serves the renderer for any page path (the app routes itself)', async () => {
    const res = await get('/gallery');
    expect(await res.text()).toContain('<title>studio</title>');
    // A page can change on a rebuild: the browser asks again, and an unchanged one is a bodiless 304.
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const etag = res.headers.get('etag') as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await fetch(new URL('/gallery', studio.server.url), {
      headers: { ...studio.bearer, 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const stale = await fetch(new URL('/gallery', studio.server.url), {
      headers: { ...studio.bearer, 'if-none-match': 'W/"0-0"' },
    });
    expect(stale.status).toBe(200);
    const traversal = await get('/..%2F..%2Fetc%2Fpasswd');
    expect(await traversal.text()).toContain('<title>studio</title>');
  });
});
