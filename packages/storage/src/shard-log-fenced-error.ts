/**
 * An append refused because the shard's log was fenced (ShardLog.fence) for a newer revision of the stream's
 * record than the one the caller routed it with: the stream was resharded or re-keyed meanwhile, possibly by
 * another Riffle node. Nothing of the append was stored; the caller takes the newer record and routes again.
 */
export class ShardLogFencedError extends Error {
  readonly code = 'RIFFLE_ERR_SHARD_LOG_FENCED';

  /** `revision`: the stream record revision appends need now. */
  constructor(readonly revision: number) {
    super(`shard log is fenced for stream record revision ${revision}`);
    this.name = 'ShardLogFencedError';
  }
}
