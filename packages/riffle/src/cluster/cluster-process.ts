import type { ChildProcess } from 'node:child_process';

/** A process `riffle cluster` starts and stops (a nats-server or a Riffle node): its pid, whether it runs, its end. */
export abstract class ClusterProcess {
  protected child: ChildProcess | undefined;
  protected exit: Promise<void> = Promise.resolve();

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the process has exited. */
  get exited(): Promise<void> {
    return this.exit;
  }

  /** SIGTERM (nats-server and riffle serve both shut down cleanly on it), SIGKILL after `graceMs`, and wait. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return this.exit;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  /** For the exit handler of a supervisor that is going away unclean. */
  killNow(): void {
    if (this.running) this.child!.kill('SIGKILL');
  }
}
