import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal dialog on the browser's own <dialog>: focus moves into it and stays there, Escape closes it, and focus
 * returns to what opened it. Its body is a form, so Enter submits.
 */
export function ModalDialog(props: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  submitDisabled?: boolean;
  busy?: boolean;
  danger?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!props.submitDisabled && !props.busy) props.onSubmit();
  };
  const titleId = `dialog-title-${props.title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <form onSubmit={submit}>
        <h2 id={titleId}>{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        <div className="modal-actions">
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className={props.danger ? 'button button-danger' : 'button button-primary'} disabled={props.submitDisabled || props.busy}>
            {props.busy ? `${props.submitLabel}…` : props.submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
