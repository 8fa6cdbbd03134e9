import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StudioCore } from '../core/studioCore';
import { pngBytes, tempDir, writeFile } from '../testing/fixtures';
import { startServer, type RunningServer } from './httpServer';

let dir: string;
let cleanup: () => Promise<void>;
let core: StudioCore;
let server: RunningServer;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  const rendererDir = path.join(dir, 'renderer');
  await writeFile(rendererDir, 'index.html', '<!doctype html><title>studio</title>');
  core = new StudioCore({
    dataDir: path.join(dir, 'data'),
    shell: 'browser',
    workerPath: '/nonexistent/mlWorker.js',
  });
  server = await startServer(core, { host: '127.0.0.1', port: 0, rendererDir });
});
afterEach(async () => {
  await server.close();
  await core.close();
  await cleanup();
});

async function call(name: string, args: unknown): Promise<unknown> {
  const res = await fetch(new URL(`/api/call/${encodeURIComponent(name)}`, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return res.json();
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
    const ws = new WebSocket(new URL('/api/events', server.url.replace('http', 'ws')));
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
        new URL(`/api/uploads/${uploadId}?path=${encodeURIComponent(rel)}`, server.url),
        {
          method: 'PUT',
          body: new Uint8Array(bytes),
        },
      );
      expect(await res.json()).toEqual({ ok: true, value: null });
    }
    const escape = await fetch(
      new URL(`/api/uploads/${uploadId}?path=${encodeURIComponent('../x.png')}`, server.url),
      {
        method: 'PUT',
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
    const thumb = await fetch(new URL(`/media/thumb/${sha}`, server.url));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/png');
    expect((await fetch(new URL('/media/blob/..%2F..%2Fstudio.db', server.url))).status).toBe(404);
    expect((await fetch(new URL('/media/sample/1', server.url))).status).toBe(404);
    ws.close();
  });

  it('serves the renderer for any page path (the app routes itself)', async () => {
    const res = await fetch(new URL('/gallery', server.url));
    expect(await res.text()).toContain('<title>studio</title>');
    const traversal = await fetch(new URL('/..%2F..%2Fetc%2Fpasswd', server.url));
    expect(await traversal.text()).toContain('<title>studio</title>');
  });
});
