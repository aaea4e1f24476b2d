import { useEffect, useState } from 'react';
import { useApi, errorOf } from '../app/api-context.js';
import { Link, streamPath } from '../app/router.js';
import { ErrorAlert } from '../components/error-alert.js';
import { StatusBadge } from '../components/status-badge.js';
import type { ApiError } from '../api/api-error.js';
import { DeleteStreamDialog } from './delete-stream-dialog.js';
import { listStreamPage, type StreamRow } from './stream-rows.js';

/** The "Data streams" list: name, status, capacity mode, open shards, retention; create and delete. */
export function StreamListPage() {
  const api = useApi();
  const [rows, setRows] = useState<StreamRow[] | undefined>();
  const [nextToken, setNextToken] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<string | undefined>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    listStreamPage(api, undefined).then(
      (page) => {
        if (!current) return;
        setRows(page.rows);
        setNextToken(page.nextToken);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(errorOf(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [api.generation, tick]);

  const loadMore = async () => {
    setLoading(true);
    try {
      const page = await listStreamPage(api, nextToken);
      setRows((previous) => [...(previous ?? []), ...page.rows]);
      setNextToken(page.nextToken);
    } catch (failure) {
      setError(errorOf(failure));
    } finally {
      setLoading(false);
    }
  };

  return (
    <section aria-labelledby="streams-title">
      <div className="page-header">
        <h1 id="streams-title">
          Data streams {rows ? <span className="count">({rows.length}{nextToken ? '+' : ''})</span> : null}
        </h1>
        <div className="actions">
          <button type="button" className="button" onClick={() => setTick((n) => n + 1)} disabled={loading}>
            Refresh
          </button>
          <button type="button" className="button" disabled={!selected} onClick={() => setDeleting(selected)}>
            Delete
          </button>
          <Link to="/create" className="button button-primary">
            Create data stream
          </Link>
        </div>
      </div>
      <ErrorAlert error={error} />
      <table className="table" aria-label="Data streams" aria-busy={loading}>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Select</span>
            </th>
            <th scope="col">Data stream name</th>
            <th scope="col">Status</th>
            <th scope="col">Capacity mode</th>
            <th scope="col">Open shards</th>
            <th scope="col">Data retention period</th>
          </tr>
        </thead>
        <tbody>
          {rows?.map(({ summary, description }) => {
            const name = summary.StreamName!;
            const mode = (description?.StreamModeDetails ?? summary.StreamModeDetails)?.StreamMode;
            return (
              <tr key={name} data-stream={name} className={selected === name ? 'row-selected' : undefined}>
                <td>
                  <input type="radio" name="selected-stream" aria-label={`Select ${name}`} checked={selected === name} onChange={() => setSelected(name)} />
                </td>
                <td>
                  <Link to={streamPath(name)}>{name}</Link>
                </td>
                <td data-column="status">
                  <StatusBadge status={description?.StreamStatus ?? summary.StreamStatus} />
                </td>
                <td data-column="mode">{mode === 'ON_DEMAND' ? 'On-demand' : mode === 'PROVISIONED' ? 'Provisioned' : '-'}</td>
                <td data-column="shards">{description?.OpenShardCount ?? '-'}</td>
                <td data-column="retention">{description?.RetentionPeriodHours !== undefined ? retentionText(description.RetentionPeriodHours) : '-'}</td>
              </tr>
            );
          })}
          {rows && rows.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                No data streams. <Link to="/create">Create data stream</Link>
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {nextToken ? (
        <button type="button" className="button" onClick={() => void loadMore()} disabled={loading}>
          Load more
        </button>
      ) : null}
      {deleting ? (
        <DeleteStreamDialog
          name={deleting}
          onClose={() => setDeleting(undefined)}
          onDeleted={() => {
            setDeleting(undefined);
            setSelected(undefined);
            setTick((n) => n + 1);
          }}
        />
      ) : null}
    </section>
  );
}

export function retentionText(hours: number): string {
  if (hours % 24 === 0) return `${hours / 24} day${hours === 24 ? '' : 's'}`;
  return `${hours} hours`;
}
