import type { RequestCompletion, RequestCompletionHook } from '@riffle/wire';
import { AuditLogFile } from './audit-log-file.js';
import { cloudTrailRecordOf } from './cloudtrail-record.js';
import { isDataEvent } from './event-categories.js';

export interface AuditTrailOptions {
  readonly path: string;
  readonly maxBytes: number;
  readonly files: number;
  /** Also record the data plane (CloudTrail's data events); management events are always recorded. */
  readonly dataEvents: boolean;
  readonly region: string;
  readonly accountId: string;
  readonly log: (entry: Record<string, unknown>) => void;
}

export interface AuditTrail {
  /** For the listener's onRequestComplete. */
  readonly onRequestComplete: RequestCompletionHook;
  /** Writes every record still queued; call after the listener has closed. */
  close(): Promise<void>;
}

/** The audit log: one CloudTrail record a line for every control-plane call and, optionally, data-plane call. */
export async function openAuditTrail(options: AuditTrailOptions): Promise<AuditTrail> {
  const file = await AuditLogFile.open({ path: options.path, maxBytes: options.maxBytes, files: options.files, report: options.log });
  const recordOptions = { region: options.region, accountId: options.accountId };
  return {
    onRequestComplete(completion: RequestCompletion) {
      // The data plane is the hot path: with data events off it costs one set lookup.
      if (!options.dataEvents && isDataEvent(completion.context.operation)) return;
      // Kinesis's calls only: CloudWatch's metric reads are data events of another event source, not recorded yet.
      if (completion.context.protocol !== 'json' && completion.context.protocol !== 'cbor') return;
      file.append(JSON.stringify(cloudTrailRecordOf(completion, recordOptions)));
    },
    close: () => file.close(),
  };
}
