import type { Writable } from 'node:stream';
import { writeLine } from '../command-io.js';

/** One line of a deployment's progress, as CloudFormation's stack events read: status, type, logical id, detail. */
export interface DeployEvent {
  readonly status: string;
  readonly type: string;
  readonly logicalId: string;
  readonly detail?: string | undefined;
}

/** Prints events as they happen (`CREATE_IN_PROGRESS  AWS::Kinesis::Stream  LabStream  (lab-stream)`) and keeps them. */
export class DeployEvents {
  readonly all: DeployEvent[] = [];

  constructor(private readonly out: Writable | undefined) {}

  emit(event: DeployEvent): void {
    this.all.push(event);
    if (!this.out) return;
    const detail = event.detail === undefined ? '' : `  (${event.detail})`;
    writeLine(this.out, `${event.status.padEnd(20)}  ${event.type.padEnd(28)}  ${event.logicalId}${detail}`);
  }
}
