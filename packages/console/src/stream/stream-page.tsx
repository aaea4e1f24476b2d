import { useEffect, useState } from 'react';
import { DescribeStreamSummaryCommand, type StreamDescriptionSummary } from '@aws-sdk/client-kinesis';
import { useApi } from '../app/api-context.js';
import { Link, navigate, streamPath, type StreamTab } from '../app/router.js';
import { useResource } from '../app/use-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { StatusBadge } from '../components/status-badge.js';
import { TabList, type TabItem } from '../components/tab-list.js';
import { DeleteStreamDialog } from '../streams/delete-stream-dialog.js';
import { ConfigurationTab } from './configuration-tab.js';
import { DataViewerTab } from './data-viewer-tab.js';
import { FanOutTab } from './fan-out-tab.js';
import { MonitoringTab } from './monitoring-tab.js';
import { PutRecordTab } from './put-record-tab.js';

const TABS: readonly TabItem<StreamTab>[] = [
  { key: 'monitoring', label: 'Monitoring' },
  { key: 'configuration', label: 'Configuration' },
  { key: 'data-viewer', label: 'Data viewer' },
  { key: 'fan-out', label: 'Enhanced fan-out' },
  { key: 'put-record', label: 'Put record' },
];

/** How often a stream in CREATING or UPDATING is described again, and for how long at most. */
const SETTLE_POLL_MS = 1000;
const SETTLE_POLLS = 120;

export interface StreamTabProps {
  readonly stream: StreamDescriptionSummary;
  /** Describe the stream again, and keep doing so while it is not ACTIVE. */
  readonly refresh: () => void;
}

export function StreamPage({ name, tab }: { name: string; tab: StreamTab }) {
  const api = useApi();
  const summary = useResource(
    () => api.run(({ kinesis }) => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).then((answer) => answer.StreamDescriptionSummary!),
    name,
  );
  const [deleting, setDeleting] = useState(false);
  const [polls, setPolls] = useState(0);
  const status = summary.data?.StreamStatus;
  // A stream being created or updated settles by itself: describe it again until it is ACTIVE (bounded).
  useEffect(() => {
    if (!status || status === 'ACTIVE' || summary.loading || polls >= SETTLE_POLLS) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      summary.reload();
    }, SETTLE_POLL_MS);
    return () => clearTimeout(timer);
  }, [status, summary.loading, polls]);
  const refresh = () => {
    setPolls(0);
    summary.reload();
  };

  const stream = summary.data?.StreamName === name ? summary.data : undefined;
  return (
    <section aria-labelledby="stream-title">
      <nav aria-label="Breadcrumbs" className="breadcrumbs">
        <Link to="/">Data streams</Link> <span aria-hidden="true">›</span> {name}
      </nav>
      <div className="page-header">
        <h1 id="stream-title">{name}</h1>
        <div className="actions">
          <button type="button" className="button" onClick={refresh}>
            Refresh
          </button>
          <button type="button" className="button" onClick={() => setDeleting(true)}>
            Delete
          </button>
        </div>
      </div>
      <ErrorAlert error={summary.error} />
      {stream ? (
        <>
          <dl className="summary panel">
            <div className="key-value">
              <dt>Status</dt>
              <dd data-testid="stream-status">
                <StatusBadge status={stream.StreamStatus} />
              </dd>
            </div>
            <div className="key-value">
              <dt>Capacity mode</dt>
              <dd data-testid="stream-mode">{stream.StreamModeDetails?.StreamMode === 'ON_DEMAND' ? 'On-demand' : 'Provisioned'}</dd>
            </div>
            <div className="key-value">
              <dt>Open shards</dt>
              <dd data-testid="stream-shards">{stream.OpenShardCount}</dd>
            </div>
            <div className="key-value">
              <dt>ARN</dt>
              <dd className="mono" data-testid="stream-arn">
                {stream.StreamARN}
              </dd>
            </div>
          </dl>
          <TabList tabs={TABS} selected={tab} onSelect={(key) => navigate(streamPath(name, key), true)} label="Stream details" idPrefix="stream" />
          <div role="tabpanel" id="stream-panel" aria-labelledby={`stream-tab-${tab}`} className="tab-panel">
            {tab === 'monitoring' ? <MonitoringTab stream={stream} refresh={refresh} /> : null}
            {tab === 'configuration' ? <ConfigurationTab stream={stream} refresh={refresh} /> : null}
            {tab === 'data-viewer' ? <DataViewerTab stream={stream} refresh={refresh} /> : null}
            {tab === 'fan-out' ? <FanOutTab stream={stream} refresh={refresh} /> : null}
            {tab === 'put-record' ? <PutRecordTab stream={stream} refresh={refresh} /> : null}
          </div>
        </>
      ) : summary.loading ? (
        <p className="loading">Loading…</p>
      ) : null}
      {deleting ? <DeleteStreamDialog name={name} onClose={() => setDeleting(false)} onDeleted={() => navigate('/')} /> : null}
    </section>
  );
}
