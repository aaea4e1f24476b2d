import { useEffect, useRef, useState, type FormEvent } from 'react';
import { GetRecordsCommand, GetShardIteratorCommand, type _Record, type ShardIteratorType } from '@aws-sdk/client-kinesis';
import { errorOf, useApi } from '../app/api-context.js';
import { useResource } from '../app/use-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { formatData, type DataFormat } from '../records/record-format.js';
import type { ApiError } from '../api/api-error.js';
import { listStreamShards } from './list-stream-shards.js';
import type { StreamTabProps } from './stream-page.js';

const POSITIONS: readonly { value: ShardIteratorType; label: string }[] = [
  { value: 'TRIM_HORIZON', label: 'Trim horizon' },
  { value: 'LATEST', label: 'Latest' },
  { value: 'AT_TIMESTAMP', label: 'At timestamp' },
  { value: 'AT_SEQUENCE_NUMBER', label: 'At sequence number' },
  { value: 'AFTER_SEQUENCE_NUMBER', label: 'After sequence number' },
];
const FORMATS: readonly { value: DataFormat; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'json', label: 'JSON' },
  { value: 'hex', label: 'Hex' },
];
/** Empty answers followed while the iterator is still behind the tip, before "no records" is shown. */
const EMPTY_READS = 5;
const LIVE_TAIL_POLL_MS = 1000;
/** Live tail keeps this many records on screen, dropping the oldest. */
const LIVE_TAIL_KEEP = 500;

/** The AWS console's Data viewer: a shard, a starting position, the records, pages and a live tail. */
export function DataViewerTab({ stream }: StreamTabProps) {
  const api = useApi();
  const streamArn = stream.StreamARN!;
  const shards = useResource(() => listStreamShards(api, streamArn), streamArn);
  const [shardId, setShardId] = useState('');
  const [position, setPosition] = useState<ShardIteratorType>('TRIM_HORIZON');
  const [timestamp, setTimestamp] = useState('');
  const [sequenceNumber, setSequenceNumber] = useState('');
  const [limit, setLimit] = useState(25);
  const [format, setFormat] = useState<DataFormat>('text');
  const [records, setRecords] = useState<_Record[] | undefined>();
  const [page, setPage] = useState(0);
  const [nextIterator, setNextIterator] = useState<string | undefined>();
  const [behind, setBehind] = useState<number | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [tailing, setTailing] = useState(false);
  const iterator = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!shardId && shards.data && shards.data.length > 0) setShardId(shards.data[0]!.ShardId!);
  }, [shards.data, shardId]);

  const startIterator = async (): Promise<string | undefined> => {
    const answer = await api.run(({ kinesis }) =>
      kinesis.send(
        new GetShardIteratorCommand({
          StreamARN: streamArn,
          ShardId: shardId,
          ShardIteratorType: position,
          ...(position === 'AT_TIMESTAMP' ? { Timestamp: timestamp === '' ? undefined : new Date(timestamp) } : {}),
          ...(position === 'AT_SEQUENCE_NUMBER' || position === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: sequenceNumber.trim() } : {}),
        }),
      ),
    );
    return answer.ShardIterator;
  };

  /** One page: GetRecords from `from`, following empty answers a few times while behind the tip. */
  const readPage = async (from: string | undefined) => {
    let cursor = from;
    for (let attempt = 0; attempt < EMPTY_READS && cursor; attempt++) {
      const answer = await api.run(({ kinesis }) => kinesis.send(new GetRecordsCommand({ StreamARN: streamArn, ShardIterator: cursor, Limit: limit })));
      cursor = answer.NextShardIterator;
      setBehind(answer.MillisBehindLatest);
      if ((answer.Records?.length ?? 0) > 0 || answer.MillisBehindLatest === 0) return { records: answer.Records ?? [], next: cursor };
    }
    return { records: [], next: cursor };
  };

  const getRecords = async (event?: FormEvent) => {
    event?.preventDefault();
    setTailing(false);
    setBusy(true);
    setError(undefined);
    try {
      const first = await startIterator();
      const result = await readPage(first);
      iterator.current = result.next;
      setNextIterator(result.next);
      setRecords(result.records);
      setPage(1);
    } catch (failure) {
      setError(errorOf(failure));
      setRecords(undefined);
    } finally {
      setBusy(false);
    }
  };

  const nextPage = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await readPage(nextIterator);
      iterator.current = result.next;
      setNextIterator(result.next);
      setRecords(result.records);
      setPage((n) => n + 1);
    } catch (failure) {
      setError(errorOf(failure));
    } finally {
      setBusy(false);
    }
  };

  /** Live tail starts afresh at the chosen starting position (Latest: only what arrives from now on). */
  const startTail = async () => {
    setError(undefined);
    setBusy(true);
    try {
      iterator.current = await startIterator();
      setNextIterator(iterator.current);
      setRecords([]);
      setTailing(true);
    } catch (failure) {
      setError(errorOf(failure));
    } finally {
      setBusy(false);
    }
  };

  // Live tail: GetRecords once a second from where the page ended, new records added below, until stopped.
  useEffect(() => {
    if (!tailing) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const cursor = iterator.current;
      if (!cursor) return setTailing(false);
      try {
        const answer = await api.run(({ kinesis }) => kinesis.send(new GetRecordsCommand({ StreamARN: streamArn, ShardIterator: cursor, Limit: 1000 })));
        if (stopped) return;
        iterator.current = answer.NextShardIterator;
        setNextIterator(answer.NextShardIterator);
        setBehind(answer.MillisBehindLatest);
        const fresh = answer.Records ?? [];
        if (fresh.length > 0) setRecords((previous) => [...(previous ?? []), ...fresh].slice(-LIVE_TAIL_KEEP));
        if (!answer.NextShardIterator) return setTailing(false);
      } catch (failure) {
        if (stopped) return;
        setError(errorOf(failure));
        return setTailing(false);
      }
      timer = setTimeout(() => void poll(), LIVE_TAIL_POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [tailing, streamArn]);

  return (
    <div className="data-viewer">
      <form className="panel" onSubmit={(event) => void getRecords(event)} aria-label="Data viewer">
        <h2>Data viewer</h2>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Shard</span>
            <select className="input" name="shard" value={shardId} onChange={(event) => setShardId(event.target.value)}>
              {shards.data?.map((shard) => (
                <option key={shard.ShardId} value={shard.ShardId}>
                  {shard.ShardId}
                  {shard.SequenceNumberRange?.EndingSequenceNumber ? ' (closed)' : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Starting position</span>
            <select className="input" name="position" value={position} onChange={(event) => setPosition(event.target.value as ShardIteratorType)}>
              {POSITIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          {position === 'AT_TIMESTAMP' ? (
            <label className="field">
              <span className="field-label">Start date and time (local)</span>
              <input className="input" type="datetime-local" step={1} name="timestamp" value={timestamp} onChange={(event) => setTimestamp(event.target.value)} required />
            </label>
          ) : null}
          {position === 'AT_SEQUENCE_NUMBER' || position === 'AFTER_SEQUENCE_NUMBER' ? (
            <label className="field field-wide">
              <span className="field-label">Sequence number</span>
              <input className="input mono" name="sequenceNumber" value={sequenceNumber} onChange={(event) => setSequenceNumber(event.target.value)} required autoComplete="off" spellCheck={false} />
            </label>
          ) : null}
          <label className="field">
            <span className="field-label">Records per page</span>
            <select className="input" name="limit" value={limit} onChange={(event) => setLimit(Number(event.target.value))}>
              {[10, 25, 50, 100].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorAlert error={shards.error} />
        <div className="form-actions form-actions-left">
          <button type="submit" className="button button-primary" disabled={busy || !shardId}>
            Get records
          </button>
          <button type="button" className="button" disabled={busy || tailing || !nextIterator || records === undefined} onClick={() => void nextPage()}>
            Next records
          </button>
          {tailing ? (
            <button type="button" className="button" onClick={() => setTailing(false)}>
              Stop live tail
            </button>
          ) : (
            <button type="button" className="button" disabled={busy || !shardId} onClick={() => void startTail()}>
              Start live tail
            </button>
          )}
        </div>
      </form>
      <ErrorAlert error={error} />
      <div className="records-header">
        <fieldset className="segmented">
          <legend>Data format</legend>
          {FORMATS.map((option) => (
            <label key={option.value} className={format === option.value ? 'segment segment-selected' : 'segment'}>
              <input type="radio" name="format" value={option.value} checked={format === option.value} onChange={() => setFormat(option.value)} />
              {option.label}
            </label>
          ))}
        </fieldset>
        <p className="records-status" role="status" aria-live="polite">
          {tailing ? 'Live tail: reading every second. ' : ''}
          {records !== undefined ? `${records.length} record${records.length === 1 ? '' : 's'}${tailing ? '' : `, page ${page}`}.` : ''}
          {behind !== undefined ? ` ${behind} ms behind the latest record.` : ''}
        </p>
      </div>
      {records !== undefined ? (
        <table className="table records" aria-label="Records">
          <thead>
            <tr>
              <th scope="col">Partition key</th>
              <th scope="col">Sequence number</th>
              <th scope="col">Approximate arrival time</th>
              <th scope="col">Data</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record) => {
              const shown = formatData(record.Data ?? new Uint8Array(), format);
              return (
                <tr key={record.SequenceNumber} data-sequence={record.SequenceNumber}>
                  <td data-column="partition-key">{record.PartitionKey}</td>
                  <td data-column="sequence-number" className="mono">
                    {record.SequenceNumber}
                  </td>
                  <td data-column="arrival" data-epoch-ms={record.ApproximateArrivalTimestamp?.getTime()}>
                    {record.ApproximateArrivalTimestamp?.toLocaleString()}
                  </td>
                  <td data-column="data">
                    {shown.note ? <div className="hint">{shown.note}</div> : null}
                    <pre className={format === 'hex' ? 'record-data record-data-hex' : 'record-data'}>{shown.text}</pre>
                  </td>
                  <td data-column="size">{record.Data?.length ?? 0} B</td>
                </tr>
              );
            })}
            {records.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  No records{tailing ? ' yet' : ' at this position'}.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
