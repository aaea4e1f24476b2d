import { useState, type FormEvent } from 'react';
import { PutRecordCommand, type PutRecordCommandOutput } from '@aws-sdk/client-kinesis';
import { errorOf, useApi } from '../app/api-context.js';
import { ErrorAlert, SuccessAlert } from '../components/error-alert.js';
import { FormField } from '../components/form-field.js';
import type { ApiError } from '../api/api-error.js';
import type { StreamTabProps } from './stream-page.js';

/** One PutRecord: a partition key, the data (as UTF-8 text) and optionally an explicit hash key. */
export function PutRecordTab({ stream }: StreamTabProps) {
  const api = useApi();
  const [partitionKey, setPartitionKey] = useState('');
  const [data, setData] = useState('');
  const [hashKey, setHashKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [result, setResult] = useState<PutRecordCommandOutput | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const answer = await api.run(({ kinesis }) =>
        kinesis.send(
          new PutRecordCommand({
            StreamARN: stream.StreamARN,
            PartitionKey: partitionKey,
            Data: new TextEncoder().encode(data),
            ...(hashKey.trim() !== '' ? { ExplicitHashKey: hashKey.trim() } : {}),
          }),
        ),
      );
      setResult(answer);
    } catch (failure) {
      setError(errorOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel narrow" onSubmit={(event) => void submit(event)} aria-labelledby="put-title">
      <h2 id="put-title">Put record</h2>
      <FormField label="Partition key" hint="Decides the shard: its MD5 hash is a point in a shard's hash key range.">
        {(control) => <input {...control} className="input" name="partitionKey" value={partitionKey} onChange={(event) => setPartitionKey(event.target.value)} autoComplete="off" spellCheck={false} />}
      </FormField>
      <FormField label="Data" hint="Sent as UTF-8 text.">
        {(control) => <textarea {...control} className="input textarea" name="data" rows={6} value={data} onChange={(event) => setData(event.target.value)} spellCheck={false} />}
      </FormField>
      <FormField label="Explicit hash key - optional" hint="A decimal number from 0 to 2^128 - 1; overrides the partition key's hash.">
        {(control) => <input {...control} className="input" name="explicitHashKey" value={hashKey} onChange={(event) => setHashKey(event.target.value)} autoComplete="off" spellCheck={false} inputMode="numeric" />}
      </FormField>
      <ErrorAlert error={error} />
      {result ? (
        <SuccessAlert>
          Record put into <span data-testid="put-shard">{result.ShardId}</span> with sequence number{' '}
          <span className="mono" data-testid="put-sequence">
            {result.SequenceNumber}
          </span>
          .
        </SuccessAlert>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Putting…' : 'Put record'}
        </button>
      </div>
    </form>
  );
}
