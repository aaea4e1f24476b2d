import type { RequestContext } from '@riffle/wire';
import type { Engine } from '@riffle/engine';

/** What every operation handler gets besides its typed input. */
export interface OperationContext {
  readonly engine: Engine;
  readonly request: RequestContext;
}

/**
 * One operation (`operations/put-records.ts` exports `putRecords`). The input has already passed the
 * model's type checks and constraints (runtime/deserialize.ts, runtime/validate.ts) and is typed with the
 * generated shapes: blobs as Uint8Array, timestamps as Date, numbers as number. Returning undefined means
 * an empty 200 body. The output is typed the same way and serialized per protocol by the runtime.
 */
export type OperationHandler<Input = any, Output = any> = (
  input: Input,
  context: OperationContext,
) => Promise<Output | undefined>;
