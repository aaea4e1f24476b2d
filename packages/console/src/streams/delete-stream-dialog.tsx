import { useState } from 'react';
import { DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { errorOf, useApi } from '../app/api-context.js';
import { ErrorAlert } from '../components/error-alert.js';
import { ModalDialog } from '../components/modal-dialog.js';
import type { ApiError } from '../api/api-error.js';

/** Deleting a stream loses its records: the name must be typed to confirm. */
export function DeleteStreamDialog({ name, onClose, onDeleted }: { name: string; onClose: () => void; onDeleted: () => void }) {
  const api = useApi();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.run(({ kinesis }) => kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true })));
      onDeleted();
    } catch (failure) {
      setError(errorOf(failure));
      setBusy(false);
    }
  };
  return (
    <ModalDialog title={`Delete ${name}?`} onClose={onClose} onSubmit={() => void remove()} submitLabel="Delete" submitDisabled={typed !== name} busy={busy} danger>
      <p>
        Deleting the data stream deletes all of its records and its registered consumers. This cannot be undone.
      </p>
      <label className="field">
        <span className="field-label">
          To confirm deletion, type <strong>{name}</strong> in the field.
        </span>
        <input className="input" value={typed} onChange={(event) => setTyped(event.target.value)} autoFocus autoComplete="off" spellCheck={false} />
      </label>
      <ErrorAlert error={error} />
    </ModalDialog>
  );
}
