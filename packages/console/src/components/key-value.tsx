import type { ReactNode } from 'react';

/** A labelled value of a details panel. */
export function KeyValue({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="key-value">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
