import { useState } from 'react';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { apiErrorOf, type ApiError } from '../api/api-error.js';
import { createApiClients } from '../api/api-clients.js';
import { ErrorAlert } from '../components/error-alert.js';
import { ModalDialog } from '../components/modal-dialog.js';
import { useApi } from './api-context.js';

/**
 * Strict mode: an access key for this browser tab (sessionStorage only). It is tried with one ListStreams call
 * before it is kept, and a refusal is shown as the API worded it.
 */
export function SignInDialog() {
  const api = useApi();
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  const [sessionToken, setSessionToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(api.signInWanted === 'required' ? undefined : api.signInWanted);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    const credentials = { accessKeyId: accessKeyId.trim(), secretAccessKey, ...(sessionToken.trim() ? { sessionToken: sessionToken.trim() } : {}) };
    const trial = createApiClients(api.settings.region, credentials);
    try {
      await trial.kinesis.send(new ListStreamsCommand({ Limit: 1 }));
      api.signIn(credentials);
    } catch (failure) {
      setError(apiErrorOf(failure));
      setBusy(false);
    } finally {
      trial.kinesis.destroy();
      trial.cloudWatch.destroy();
    }
  };
  return (
    <ModalDialog title="Sign in" onClose={api.dismissSignIn} onSubmit={() => void submit()} submitLabel="Sign in" submitDisabled={accessKeyId.trim() === '' || secretAccessKey === ''} busy={busy}>
      <p>
        This server verifies signatures (<code>--auth strict</code>). Enter an access key it knows; it is kept in this browser tab only.
      </p>
      <label className="field">
        <span className="field-label">Access key ID</span>
        <input className="input" name="accessKeyId" value={accessKeyId} onChange={(event) => setAccessKeyId(event.target.value)} autoComplete="username" spellCheck={false} autoFocus />
      </label>
      <label className="field">
        <span className="field-label">Secret access key</span>
        <input className="input" name="secretAccessKey" type="password" value={secretAccessKey} onChange={(event) => setSecretAccessKey(event.target.value)} autoComplete="current-password" />
      </label>
      <label className="field">
        <span className="field-label">Session token - optional</span>
        <input className="input" name="sessionToken" type="password" value={sessionToken} onChange={(event) => setSessionToken(event.target.value)} autoComplete="off" />
      </label>
      <ErrorAlert error={error} />
    </ModalDialog>
  );
}
