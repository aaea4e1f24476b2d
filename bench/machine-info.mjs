import os from 'node:os';

/** What the numbers were measured on; saved with every result file. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    cpuMHz: cpus[0]?.speed,
    totalMemoryMiB: Math.round(os.totalmem() / (1024 * 1024)),
    platform: os.platform(),
    arch: os.arch(),
    kernel: os.release(),
    node: process.version,
    loadAverageAtStart: os.loadavg(),
  };
}
