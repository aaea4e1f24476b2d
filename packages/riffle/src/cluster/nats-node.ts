import { spawn } from 'node:child_process';
import { ClusterProcess } from './cluster-process.js';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NatsNodeLayout } from './cluster-layout.js';
import { natsServerConfig } from './nats-server-config.js';

/** One nats-server process of `riffle cluster`, its log in a file. */
export class NatsNode extends ClusterProcess {

  constructor(
    private readonly binary: string,
    readonly layout: NatsNodeLayout,
    private readonly peers: readonly NatsNodeLayout[],
    readonly logFile: string,
  ) {
    super();
  }

  get url(): string {
    return `nats://127.0.0.1:${this.layout.clientPort}`;
  }

  get monitorUrl(): string {
    return `http://127.0.0.1:${this.layout.monitorPort}`;
  }


  start(onExit: (code: number | null, signal: string | null) => void): void {
    const { layout } = this;
    const configFile = join(dirname(layout.storeDir), `${layout.name}.conf`);
    mkdirSync(layout.storeDir, { recursive: true });
    writeFileSync(
      configFile,
      natsServerConfig({
        name: layout.name,
        host: '127.0.0.1',
        clientPort: layout.clientPort,
        monitorPort: layout.monitorPort,
        storeDir: layout.storeDir,
        ...(this.peers.length > 1 ? { cluster: { name: 'riffle', port: layout.clusterPort, routes: this.peers.map((p) => `nats://127.0.0.1:${p.clusterPort}`) } } : {}),
      }),
    );
    mkdirSync(dirname(this.logFile), { recursive: true });
    const log = openSync(this.logFile, 'a');
    // Its own process group: a Ctrl-C in the terminal reaches `riffle cluster` alone, which stops the Riffle nodes
    // before the NATS nodes they write to.
    const child = spawn(this.binary, ['-c', configFile], { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    this.child = child;
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        onExit(code, signal);
        resolve();
      }),
    );
    child.once('error', () => undefined);
  }

  /** The log's last fatal or error lines, for a message when the node would not start. */
  lastErrors(): string {
    try {
      const lines = readFileSync(this.logFile, 'utf8').split('\n').filter((line) => /\[(FTL|ERR)\]/.test(line));
      return lines.slice(-3).join('\n');
    } catch {
      return '';
    }
  }
}
