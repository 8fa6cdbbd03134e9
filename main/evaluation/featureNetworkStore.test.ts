import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FEATURE_NETWORK_FORMAT,
  featureNetworkKey,
  readFeatureNetwork,
  writeFeatureNetwork,
  type FeatureNetworkWeights,
} from './featureNetworkStore';

const root = mkdtempSync(path.join(os.tmpdir(), 'feature-network-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const weights: FeatureNetworkWeights = {
  format: FEATURE_NETWORK_FORMAT,
  kind: 'classifier',
  height: 28,
  width: 28,
  channels: 1,
  classCount: 10,
  embeddingDim: 4,
  filters: [8, 16],
  finalLoss: 0.25,
  tensors: [
    { name: 'conv1', shape: [3, 1], values: Float32Array.of(1, -2, 3.5) },
    { name: 'conv1.bias', shape: [2], values: Float32Array.of(0.125, Number.MIN_VALUE) },
  ],
};

describe('the feature network store', () => {
  it('reads back exactly what it wrote', async () => {
    const dir = path.join(
      root,
      'version-7',
      featureNetworkKey(weights, { steps: 300, embeddingDim: 4, seed: 1 }),
    );
    await writeFeatureNetwork(dir, weights);
    expect(await readFeatureNetwork(dir)).toEqual(weights);
  });

  it('finds nothing where nothing (or another format) was written', async () => {
    expect(await readFeatureNetwork(path.join(root, 'missing'))).toBeNull();
    const dir = path.join(root, 'old');
    await writeFeatureNetwork(dir, weights);
    writeFileSync(path.join(dir, 'network.json'), JSON.stringify({ format: 'something-else' }));
    expect(await readFeatureNetwork(dir)).toBeNull();
  });

  it('keys a network by image shape and training', () => {
    const a = featureNetworkKey(weights, { steps: 300, embeddingDim: 64, seed: 1 });
    expect(
      featureNetworkKey(
        { ...weights, width: 32, height: 32 },
        { steps: 300, embeddingDim: 64, seed: 1 },
      ),
    ).not.toBe(a);
    expect(featureNetworkKey(weights, { steps: 300, embeddingDim: 64, seed: 2 })).not.toBe(a);
  });
});
