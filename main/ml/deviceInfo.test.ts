import { describe, expect, it } from 'vitest';
import { parseNvidiaSmi, probeDevices } from './deviceInfo';

describe('probeDevices', () => {
  it('lists the GPUs nvidia-smi reports', async () => {
    const report = await probeDevices(
      async () => 'NVIDIA A10G, 23028, 535.104.05\nTesla T4, 15360, 535.104.05\n',
    );
    expect(report.gpus).toEqual([
      { name: 'NVIDIA A10G', memoryBytes: 23028 * 1024 * 1024, driver: '535.104.05' },
      { name: 'Tesla T4', memoryBytes: 15360 * 1024 * 1024, driver: '535.104.05' },
    ]);
    expect(report.gpuProbe).toMatch(/2 GPUs/);
    expect(report.cpu.cores).toBeGreaterThan(0);
    expect(report.cpu.memoryBytes).toBeGreaterThan(0);
  });

  it('says plainly when there is no NVIDIA driver', async () => {
    const missing = Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' });
    const report = await probeDevices(() => Promise.reject(missing));
    expect(report.gpus).toEqual([]);
    expect(report.gpuProbe).toMatch(/No NVIDIA driver found/);
  });

  it('ignores blank lines', () => {
    expect(parseNvidiaSmi('\n\n')).toEqual([]);
  });
});
