import { useId, type ReactNode } from 'react';

/**
 * A labelled control with an optional hint: the label alone is the control's accessible name, the hint its
 * description (aria-describedby), so that names stay short and unambiguous.
 */
export function FormField({ label, hint, wide, children }: { label: string; hint?: string; wide?: boolean; children: (control: { id: string; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={wide ? 'field field-wide' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, ...(hint ? { 'aria-describedby': hintId } : {}) })}
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}
