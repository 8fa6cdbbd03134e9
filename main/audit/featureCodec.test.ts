import { describe, expect, it } from 'vitest';
import { packFeatures, unpackFeatures } from './featureCodec';

describe('feature codec', () => {
  it('round-trips plain fields and typed arrays of any length', () => {
    const record = {
      ok: true,
      error: null,
      placement: { background: 3, cx: 0.5, cy: 0.25 },
      detail: Uint8Array.from([1, 2, 3]),
      coarse: Float32Array.from([0.5, -1.25, 3e-7]),
      empty: new Float32Array(0),
    };
    const back = unpackFeatures<typeof record>(packFeatures(record));
    expect(back).toEqual(record);
    expect(back.coarse).toBeInstanceOf(Float32Array);
    expect(back.detail).toBeInstanceOf(Uint8Array);
  });
});
