import type { SeededRandom } from '../seeded-random.js';
import { jsonRecord, rounded, walk, type DataProfile, type DataProfileKind } from './data-profile.js';

const HOSTS = ['web-01', 'web-02', 'web-03', 'db-01', 'worker-01'];

interface HostState {
  cpu: number;
  memory: number;
  disk: number;
  diskRead: number;
  diskWrite: number;
  netIn: number;
  netOut: number;
}

function createHostMetrics(random: SeededRandom): DataProfile {
  const hosts = HOSTS.map((host) => {
    const own = random.fork();
    const state: HostState = {
      cpu: own.float(5, 60),
      memory: own.float(30, 80),
      disk: own.float(20, 85),
      diskRead: own.float(50, 2000),
      diskWrite: own.float(50, 2000),
      netIn: own.float(100, 5000),
      netOut: own.float(100, 5000),
    };
    return { host, random: own, state };
  });
  let turn = 0;
  return {
    defaultKeyField: 'host',
    next(timestampMs) {
      const { host, random: own, state } = hosts[turn++ % hosts.length]!;
      state.cpu = walk(own, state.cpu, 8, 0, 100);
      state.memory = walk(own, state.memory, 2, 5, 98);
      state.disk = walk(own, state.disk, 0.2, 5, 99);
      state.diskRead = walk(own, state.diskRead, 300, 0, 20_000);
      state.diskWrite = walk(own, state.diskWrite, 300, 0, 20_000);
      state.netIn = walk(own, state.netIn, 500, 0, 100_000);
      state.netOut = walk(own, state.netOut, 500, 0, 100_000);
      return jsonRecord({
        host,
        timestamp: new Date(timestampMs).toISOString(),
        cpuPercent: rounded(state.cpu, 2),
        memoryPercent: rounded(state.memory, 2),
        diskUsedPercent: rounded(state.disk, 2),
        diskReadKBps: rounded(state.diskRead, 1),
        diskWriteKBps: rounded(state.diskWrite, 1),
        networkInKBps: rounded(state.netIn, 1),
        networkOutKBps: rounded(state.netOut, 1),
      });
    },
  };
}

export const hostMetricsProfile: DataProfileKind = {
  summary: 'cpu, memory, disk and network of 5 hosts, each a bounded random walk (JSON, key: host)',
  create: createHostMetrics,
};
