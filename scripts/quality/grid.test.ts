import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cutGrid, GRID, writeGrid } from './grid';
import { pythonWithTorch } from './twin';

const dir = mkdtempSync(path.join(os.tmpdir(), 'quality-grid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PIXELS = 28 * 28;
/** Sample i's pixel p is byte (i·784 + p) mod 256 (a different value at every place in a cell). */
const expected = (i: number, p: number): number => ((i * PIXELS + p) % 256) / 255;
const twinScript = path.resolve(import.meta.dirname, '../../../shared/bench/quality_ref.py');
const python = pythonWithTorch();

describe('the sample grids of the quality benchmark', () => {
  it('give back the samples written, rounded to 8 bits and clamped to [0, 1]', async () => {
    const pixels = Float32Array.from({ length: GRID.count * PIXELS }, (_, k) =>
      expected(Math.floor(k / PIXELS), k % PIXELS),
    );
    pixels[0] = -0.3;
    pixels[1] = 1.7;
    pixels[2] = 0.5 / 255 + 0.3 / 255; // rounds to byte 1
    const file = path.join(dir, 'studio.png');
    await writeGrid(pixels, GRID.count, file);
    const cut = await cutGrid(file);
    expect(cut.count).toBe(GRID.count);
    expect([cut.pixels[0], cut.pixels[1], cut.pixels[2]]).toEqual([0, 1, Math.fround(1 / 255)]);
    for (let k = 3; k < pixels.length; k++) {
      expect(cut.pixels[k]).toBeCloseTo(pixels[k] as number, 6);
    }
  });

  it('refuse an image that is not a grid of that many samples', async () => {
    const file = path.join(dir, 'small.png');
    await writeGrid(new Float32Array(8 * PIXELS), 8, file);
    await expect(cutGrid(file, 64)).rejects.toThrow(/not a grid of 64/);
  });

  it.skipIf(python === null)(
    'cut the twin’s own grids (quality_ref.py save_grid) cell for cell (skipped without torch)',
    async () => {
      const file = path.join(dir, 'twin.png');
      const script = [
        'import sys, torch',
        `sys.path.insert(0, ${JSON.stringify(path.dirname(twinScript))})`,
        'import quality_ref',
        `x = torch.arange(${GRID.count * PIXELS}).remainder(256).float().div(255).view(-1, 1, 28, 28)`,
        `quality_ref.save_grid(x, ${JSON.stringify(file)})`,
      ].join('\n');
      const run = spawnSync(python as string, ['-c', script], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const cut = await cutGrid(file);
      for (let k = 0; k < cut.pixels.length; k++) {
        expect(cut.pixels[k]).toBeCloseTo(expected(Math.floor(k / PIXELS), k % PIXELS), 6);
      }
    },
  );
});
