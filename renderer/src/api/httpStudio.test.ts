import { afterEach, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES } from '../../../preload/contract';
import { createHttpStudio } from './httpStudio';

afterEach(() => {
  vi.unstubAllGlobals();
});

function answer(body: unknown, status = 200) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status }));
}

describe('the HTTP studio client', () => {
  it('has a method for every call in the contract', () => {
    const api = createHttpStudio() as unknown as Record<string, Record<string, unknown>>;
    for (const name of CALL_NAMES) {
      const [domain, verb] = name.split(':') as [string, string];
      expect(typeof api[domain]?.[verb]).toBe('function');
    }
  });

  it('posts the args to /api/call/<domain:verb> and returns the Outcome', async () => {
    const fetchMock = answer({ ok: true, value: { id: 3 } });
    vi.stubGlobal('fetch', fetchMock);
    const outcome = await createHttpStudio().datasets.get({ datasetId: 3 });
    expect(outcome).toEqual({ ok: true, value: { id: 3 } });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/call/datasets%3Aget');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ datasetId: 3 });
  });

  it('passes a core error through untouched', async () => {
    const error = { code: 'not-found', message: 'No dataset 9.' };
    vi.stubGlobal('fetch', answer({ ok: false, error }, 404));
    expect(await createHttpStudio().datasets.get({ datasetId: 9 })).toEqual({ ok: false, error });
  });

  it('turns a network failure into an io error a person can read', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const outcome = await createHttpStudio().app.info({});
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('io');
      expect(outcome.error.message).toMatch(/cannot be reached/);
    }
  });

  it('says to open the printed link when the server answers 401 (no or a stale token)', async () => {
    vi.stubGlobal('fetch', answer({ ok: false, error: { code: 'x', message: 'no token' } }, 401));
    const outcome = await createHttpStudio().datasets.list({});
    expect(outcome.ok ? null : outcome.error.message).toMatch(
      /Open the link `studio serve` printed/,
    );
  });

  it('sends an upload again when the server is busy (429), then returns its answer', async () => {
    const busy = new Response(
      JSON.stringify({ ok: false, error: { code: 'io', message: 'busy' } }),
      {
        status: 429,
        headers: { 'retry-after': '0' },
      },
    );
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(busy)
      .mockResolvedValueOnce(new Response(JSON.stringify({ ok: true, value: null })));
    vi.stubGlobal('fetch', fetchMock);
    const sent = await createHttpStudio().shell.uploadFile({
      uploadId: 'u',
      relativePath: 'a.png',
      file: new Blob(['x']),
    });
    expect(sent).toEqual({ ok: true, value: null });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('turns a body that is not JSON into the same io error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>502</html>', { status: 502 })),
    );
    const outcome = await createHttpStudio().runs.list({});
    expect(outcome.ok ? null : outcome.error.code).toBe('io');
  });

  it('uploads raw bytes to /api/uploads/<id>?path=<relative path>', async () => {
    const fetchMock = answer({ ok: true, value: null });
    vi.stubGlobal('fetch', fetchMock);
    const blob = new Blob([new Uint8Array([1, 2, 3])]);
    const outcome = await createHttpStudio().shell.uploadFile({
      uploadId: 'u1',
      relativePath: 'cats/a b.png',
      file: blob,
    });
    expect(outcome).toEqual({ ok: true, value: null });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/uploads/u1?path=cats%2Fa%20b.png');
    expect(init.method).toBe('PUT');
    expect(init.body).toBe(blob);
  });

  it('builds media and export URLs for the browser shell', () => {
    const { shell } = createHttpStudio();
    expect(shell.kind).toBe('browser');
    expect(shell.mediaUrl('thumb', 'ab12')).toBe('/media/thumb/ab12');
    expect(shell.mediaUrl('sample', 7)).toBe('/media/sample/7');
    expect(shell.exportDownloadUrl('z9')).toBe('/api/exports/z9');
    expect(shell.pathForFile(new File([], 'x'))).toBeNull();
  });
});
