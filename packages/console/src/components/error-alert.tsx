import type { ApiError } from '../api/api-error.js';

/** An API error as the API worded it: its type, then its message, unchanged. */
export function ErrorAlert({ error, title }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert" data-error-type={error.type}>
      {title ? <div className="alert-title">{title}</div> : null}
      <span className="error-type">{error.type}</span>
      {error.message ? (
        <>
          : <span className="error-message">{error.message}</span>
        </>
      ) : null}
      {error.requestId ? <div className="request-id">Request ID: {error.requestId}</div> : null}
    </div>
  );
}

export function SuccessAlert({ children }: { children: React.ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}
