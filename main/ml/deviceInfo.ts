import { execFile } from 'node:child_process';
import os from 'node:os';
import type { DeviceReport, GpuDevice } from '../../preload/contract';

/** nvidia-smi answers in well under a second; a hung driver must not hang the doctor. */
const NVIDIA_SMI_TIMEOUT_MS = 5000;

/**
 * What the machine offers to train on, for the "GPU doctor": the CPU, its memory, and the NVIDIA
 * GPUs the driver reports (through nvidia-smi, which ships with the driver). tfjs-node-gpu itself
 * cannot list devices, so this is how a person learns whether the GPU path could work at all.
 */
export async function probeDevices(
  runNvidiaSmi: () => Promise<string> = defaultNvidiaSmi,
): Promise<DeviceReport> {
  const cpus = os.cpus();
  const cpu = {
    model: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
  };
  let gpus: GpuDevice[] = [];
  let gpuProbe: string;
  try {
    gpus = parseNvidiaSmi(await runNvidiaSmi());
    gpuProbe =
      gpus.length > 0
        ? `nvidia-smi lists ${gpus.length} GPU${gpus.length > 1 ? 's' : ''}.`
        : 'nvidia-smi ran but lists no GPU.';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    gpuProbe =
      code === 'ENOENT'
        ? 'No NVIDIA driver found (nvidia-smi is not installed), so no CUDA GPU can be used.'
        : `nvidia-smi failed: ${(err as Error).message.split('\n')[0]}`;
  }
  return { cpu, gpus, gpuProbe };
}

/** Parses `--query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(output: string): GpuDevice[] {
  return output
    .split('\n')
    .map((line) => line.split(',').map((part) => part.trim()))
    .filter((parts) => parts.length >= 3 && parts[0] !== '')
    .map(([name, memoryMiB, driver]) => ({
      name: name as string,
      memoryBytes: Math.round(Number(memoryMiB) * 1024 * 1024) || 0,
      driver: driver as string,
    }));
}

function defaultNvidiaSmi(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits'],
      { timeout: NVIDIA_SMI_TIMEOUT_MS },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
  });
}
