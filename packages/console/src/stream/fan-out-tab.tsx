import { useEffect, useState, type FormEvent } from 'react';
import { DeregisterStreamConsumerCommand, RegisterStreamConsumerCommand, type Consumer } from '@aws-sdk/client-kinesis';
import { errorOf, useApi } from '../app/api-context.js';
import { useResource } from '../app/use-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { ModalDialog } from '../components/modal-dialog.js';
import { StatusBadge } from '../components/status-badge.js';
import type { ApiError } from '../api/api-error.js';
import { listStreamConsumers } from './list-stream-consumers.js';
import type { StreamTabProps } from './stream-page.js';

const SETTLE_POLL_MS = 1000;
const SETTLE_POLLS = 120;

/** Enhanced fan-out: the stream's registered consumers; register and deregister them. */
export function FanOutTab({ stream }: StreamTabProps) {
  const api = useApi();
  const streamArn = stream.StreamARN!;
  const consumers = useResource(() => listStreamConsumers(api, streamArn), streamArn);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [deregistering, setDeregistering] = useState<Consumer | undefined>();
  const [polls, setPolls] = useState(0);

  // Consumers settle from CREATING to ACTIVE and from DELETING to gone by themselves: list again meanwhile.
  const unsettled = consumers.data?.some((consumer) => consumer.ConsumerStatus !== 'ACTIVE') ?? false;
  useEffect(() => {
    if (!unsettled || consumers.loading || polls >= SETTLE_POLLS) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      consumers.reload();
    }, SETTLE_POLL_MS);
    return () => clearTimeout(timer);
  }, [unsettled, consumers.loading, polls]);

  const register = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.run(({ kinesis }) => kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: name })));
      setName('');
      setPolls(0);
      consumers.reload();
    } catch (failure) {
      setError(errorOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <div className="panel">
        <div className="panel-header">
          <h2>
            Consumers using enhanced fan-out {consumers.data ? <span className="count">({consumers.data.length})</span> : null}
          </h2>
          <button type="button" className="button" onClick={() => consumers.reload()}>
            Refresh
          </button>
        </div>
        <ErrorAlert error={consumers.error} />
        <table className="table" aria-label="Consumers">
          <thead>
            <tr>
              <th scope="col">Consumer name</th>
              <th scope="col">Status</th>
              <th scope="col">Registration time</th>
              <th scope="col">Consumer ARN</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {consumers.data?.map((consumer) => (
              <tr key={consumer.ConsumerARN} data-consumer={consumer.ConsumerName}>
                <td>{consumer.ConsumerName}</td>
                <td data-column="status">
                  <StatusBadge status={consumer.ConsumerStatus} />
                </td>
                <td>{consumer.ConsumerCreationTimestamp?.toLocaleString()}</td>
                <td className="mono">{consumer.ConsumerARN}</td>
                <td>
                  <button type="button" className="button button-small" onClick={() => setDeregistering(consumer)} disabled={consumer.ConsumerStatus === 'DELETING'} aria-label={`Deregister ${consumer.ConsumerName}`}>
                    Deregister
                  </button>
                </td>
              </tr>
            ))}
            {consumers.data && consumers.data.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  No consumers registered.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <form className="panel narrow" onSubmit={(event) => void register(event)} aria-labelledby="register-title">
        <h2 id="register-title">Register consumer</h2>
        <label className="field">
          <span className="field-label">Consumer name</span>
          <input className="input" name="consumerName" value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <ErrorAlert error={error} />
        <div className="form-actions form-actions-left">
          <button type="submit" className="button button-primary" disabled={busy}>
            Register consumer
          </button>
        </div>
      </form>
      {deregistering ? (
        <DeregisterDialog
          consumer={deregistering}
          onClose={() => setDeregistering(undefined)}
          onDone={() => {
            setDeregistering(undefined);
            setPolls(0);
            consumers.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function DeregisterDialog({ consumer, onClose, onDone }: { consumer: Consumer; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const deregister = async () => {
    setBusy(true);
    try {
      await api.run(({ kinesis }) => kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN })));
      onDone();
    } catch (failure) {
      setError(errorOf(failure));
      setBusy(false);
    }
  };
  return (
    <ModalDialog title={`Deregister ${consumer.ConsumerName}?`} onClose={onClose} onSubmit={() => void deregister()} submitLabel="Deregister" busy={busy} danger>
      <p>Its subscriptions end, and applications using it stop receiving records.</p>
      <ErrorAlert error={error} />
    </ModalDialog>
  );
}
