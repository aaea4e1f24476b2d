import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../api/api-error.js';
import { errorOf } from '../app/api-context.js';
import { ErrorAlert } from './error-alert.js';

/**
 * A configuration panel with an Edit button that opens its form in place. Enter saves, Escape cancels, and focus
 * goes to the form's first field on opening and back to Edit on closing. A link to `#edit-<id>` opens it.
 */
export function EditSection(props: {
  title: string;
  id: string;
  view: ReactNode;
  form: ReactNode;
  /** Saves; what it throws is shown as the API worded it. */
  save: () => Promise<void>;
  onOpen?: () => void;
  editLabel?: string;
  saveLabel?: string;
  canEdit?: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const formRef = useRef<HTMLFormElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (window.location.hash !== `#edit-${props.id}` || props.canEdit === false) return;
    // Once: the address keeps its path, so that going back to this tab later does not open it again.
    history.replaceState(history.state, '', window.location.pathname + window.location.search);
    props.onOpen?.();
    setEditing(true);
  }, []);
  useEffect(() => {
    if (editing) formRef.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    else if (wasEditing.current) editRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.save();
      setEditing(false);
    } catch (failure) {
      setError(errorOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby={`${props.id}-title`} data-section={props.id}>
      <div className="panel-header">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {!editing && props.canEdit !== false ? (
          <button
            ref={editRef}
            type="button"
            className="button"
            aria-label={`${props.editLabel ?? 'Edit'}: ${props.title}`}
            onClick={() => {
              setError(undefined);
              props.onOpen?.();
              setEditing(true);
            }}
          >
            {props.editLabel ?? 'Edit'}
          </button>
        ) : null}
      </div>
      {editing ? (
        <form
          ref={formRef}
          onSubmit={(event) => void submit(event)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              setEditing(false);
            }
          }}
        >
          {props.form}
          <ErrorAlert error={error} />
          <div className="form-actions form-actions-left">
            <button type="button" className="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Saving…' : (props.saveLabel ?? 'Save changes')}
            </button>
          </div>
        </form>
      ) : (
        props.view
      )}
    </section>
  );
}
