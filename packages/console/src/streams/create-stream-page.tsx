import { useState, type FormEvent } from 'react';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { errorOf, useApi } from '../app/api-context.js';
import { Link, navigate, streamPath } from '../app/router.js';
import { ErrorAlert } from '../components/error-alert.js';
import { FormField } from '../components/form-field.js';
import type { ApiError } from '../api/api-error.js';

/** "Create data stream": a name and a capacity mode (on-demand, or provisioned with a shard count). */
export function CreateStreamPage() {
  const api = useApi();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'ON_DEMAND' | 'PROVISIONED'>('ON_DEMAND');
  const [shards, setShards] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // The shard count is sent as typed: the API's own validation answers a bad one.
      await api.run(({ kinesis }) =>
        kinesis.send(
          new CreateStreamCommand({
            StreamName: name,
            StreamModeDetails: { StreamMode: mode },
            ...(mode === 'PROVISIONED' ? { ShardCount: Number(shards) } : {}),
          }),
        ),
      );
      navigate(streamPath(name));
    } catch (failure) {
      setError(errorOf(failure));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="create-title" className="narrow">
      <nav aria-label="Breadcrumbs" className="breadcrumbs">
        <Link to="/">Data streams</Link> <span aria-hidden="true">›</span> Create data stream
      </nav>
      <h1 id="create-title">Create data stream</h1>
      <form onSubmit={(event) => void submit(event)} className="panel">
        <h2>Data stream configuration</h2>
        <FormField label="Data stream name" hint="1 to 128 characters: letters, digits, underscore (_), hyphen (-) and period (.).">
          {(control) => <input {...control} className="input" name="streamName" value={name} onChange={(event) => setName(event.target.value)} required autoFocus autoComplete="off" spellCheck={false} />}
        </FormField>
        <fieldset className="field">
          <legend className="field-label">Capacity mode</legend>
          <div className="choice">
            <input type="radio" id="mode-on-demand" name="mode" value="ON_DEMAND" checked={mode === 'ON_DEMAND'} onChange={() => setMode('ON_DEMAND')} aria-describedby="mode-on-demand-hint" />
            <span>
              <label htmlFor="mode-on-demand">
                <strong>On-demand</strong>
              </label>
              <span className="hint" id="mode-on-demand-hint"> Shards are added as the write throughput needs them.</span>
            </span>
          </div>
          <div className="choice">
            <input type="radio" id="mode-provisioned" name="mode" value="PROVISIONED" checked={mode === 'PROVISIONED'} onChange={() => setMode('PROVISIONED')} aria-describedby="mode-provisioned-hint" />
            <span>
              <label htmlFor="mode-provisioned">
                <strong>Provisioned</strong>
              </label>
              <span className="hint" id="mode-provisioned-hint"> You choose the number of shards: each takes 1 MiB/s and 1,000 records/s in, 2 MiB/s out.</span>
            </span>
          </div>
        </fieldset>
        {mode === 'PROVISIONED' ? (
          <label className="field">
            <span className="field-label">Provisioned shards</span>
            <input className="input input-short" name="shardCount" type="number" min={1} value={shards} onChange={(event) => setShards(event.target.value)} required />
          </label>
        ) : null}
        <ErrorAlert error={error} />
        <div className="form-actions">
          <Link to="/" className="button">
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create data stream'}
          </button>
        </div>
      </form>
    </section>
  );
}
