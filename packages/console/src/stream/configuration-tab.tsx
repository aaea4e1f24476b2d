import { useState } from 'react';
import {
  AddTagsToStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DisableEnhancedMonitoringCommand,
  EnableEnhancedMonitoringCommand,
  IncreaseStreamRetentionPeriodCommand,
  ListTagsForStreamCommand,
  RemoveTagsFromStreamCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  UpdateShardCountCommand,
  UpdateStreamModeCommand,
  type MetricsName,
  type Tag,
} from '@aws-sdk/client-kinesis';
import { errorOf, useApi, type Api } from '../app/api-context.js';
import { useResource } from '../app/use-resource.js';
import { EditSection } from '../components/edit-section.js';
import { ErrorAlert } from '../components/error-alert.js';
import { FormField } from '../components/form-field.js';
import type { ApiError } from '../api/api-error.js';
import { retentionText } from '../streams/stream-list-page.js';
import type { StreamTabProps } from './stream-page.js';

const SHARD_LEVEL_METRICS: readonly MetricsName[] = [
  'IncomingBytes',
  'IncomingRecords',
  'OutgoingBytes',
  'OutgoingRecords',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
  'IteratorAgeMilliseconds',
];
const DEFAULT_KEY = 'alias/aws/kinesis';
const MAX_TAG_PAGES = 20;

async function listTags(api: Api, streamArn: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_TAG_PAGES; page++) {
    const answer = await api.run(({ kinesis }) => kinesis.send(new ListTagsForStreamCommand({ StreamARN: streamArn, ...(after ? { ExclusiveStartTagKey: after } : {}) })));
    tags.push(...(answer.Tags ?? []));
    if (!answer.HasMoreTags || !answer.Tags?.length) break;
    after = answer.Tags[answer.Tags.length - 1]!.Key;
  }
  return tags;
}

/** The Configuration tab: capacity, retention, encryption, shard-level metrics, tags. */
export function ConfigurationTab({ stream, refresh }: StreamTabProps) {
  const api = useApi();
  const streamArn = stream.StreamARN!;
  const provisioned = stream.StreamModeDetails?.StreamMode !== 'ON_DEMAND';
  const [shards, setShards] = useState('');
  const [mode, setMode] = useState<'PROVISIONED' | 'ON_DEMAND'>('PROVISIONED');
  const [hours, setHours] = useState('');
  const [encrypt, setEncrypt] = useState(false);
  const [keyId, setKeyId] = useState(DEFAULT_KEY);
  const enabledMetrics = new Set(stream.EnhancedMonitoring?.flatMap((entry) => entry.ShardLevelMetrics ?? []) ?? []);
  const [metrics, setMetrics] = useState<Set<MetricsName>>(new Set());
  const encrypted = stream.EncryptionType === 'KMS';

  const save = async (call: () => Promise<unknown>) => {
    await call();
    refresh();
  };

  return (
    <div className="configuration">
      <EditSection
        id="capacity"
        title="Capacity mode"
        onOpen={() => {
          setMode(provisioned ? 'PROVISIONED' : 'ON_DEMAND');
          setShards(String(stream.OpenShardCount ?? 1));
        }}
        view={
          <dl className="details">
            <div className="key-value">
              <dt>Capacity mode</dt>
              <dd data-testid="capacity-mode">{provisioned ? 'Provisioned' : 'On-demand'}</dd>
            </div>
            <div className="key-value">
              <dt>{provisioned ? 'Provisioned shards' : 'Open shards'}</dt>
              <dd data-testid="open-shards">{stream.OpenShardCount}</dd>
            </div>
          </dl>
        }
        form={
          <>
            <fieldset className="field">
              <legend className="field-label">Capacity mode</legend>
              <label className="choice">
                <input type="radio" name="capacityMode" checked={mode === 'PROVISIONED'} onChange={() => setMode('PROVISIONED')} />
                Provisioned
              </label>
              <label className="choice">
                <input type="radio" name="capacityMode" checked={mode === 'ON_DEMAND'} onChange={() => setMode('ON_DEMAND')} />
                On-demand
              </label>
            </fieldset>
            {mode === 'PROVISIONED' && provisioned ? (
              <FormField label="Provisioned shards" hint="Resharded with uniform scaling (UpdateShardCount).">
                {(control) => <input {...control} className="input input-short" type="number" min={1} name="targetShardCount" value={shards} onChange={(event) => setShards(event.target.value)} required />}
              </FormField>
            ) : null}
          </>
        }
        save={() =>
          save(() =>
            api.run(({ kinesis }) => {
              const switching = (mode === 'ON_DEMAND') === provisioned;
              if (switching) return kinesis.send(new UpdateStreamModeCommand({ StreamARN: streamArn, StreamModeDetails: { StreamMode: mode } }));
              if (mode === 'ON_DEMAND') return Promise.resolve(undefined);
              return kinesis.send(new UpdateShardCountCommand({ StreamARN: streamArn, TargetShardCount: Number(shards), ScalingType: 'UNIFORM_SCALING' }));
            }),
          )
        }
      />
      <EditSection
        id="retention"
        title="Data retention period"
        onOpen={() => setHours(String(stream.RetentionPeriodHours ?? 24))}
        view={
          <dl className="details">
            <div className="key-value">
              <dt>Data retention period</dt>
              <dd data-testid="retention">
                {retentionText(stream.RetentionPeriodHours ?? 24)} ({stream.RetentionPeriodHours} hours)
              </dd>
            </div>
          </dl>
        }
        form={
          <FormField label="Data retention period, in hours" hint="24 hours to 8,760 hours (365 days).">
            {(control) => <input {...control} className="input input-short" type="number" name="retentionHours" value={hours} onChange={(event) => setHours(event.target.value)} required />}
          </FormField>
        }
        save={() =>
          save(() =>
            api.run(({ kinesis }) => {
              const target = Number(hours);
              const current = stream.RetentionPeriodHours ?? 24;
              return target >= current
                ? kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamARN: streamArn, RetentionPeriodHours: target }))
                : kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamARN: streamArn, RetentionPeriodHours: target }));
            }),
          )
        }
      />
      <EditSection
        id="encryption"
        title="Server-side encryption"
        onOpen={() => {
          setEncrypt(encrypted);
          setKeyId(stream.KeyId ?? DEFAULT_KEY);
        }}
        view={
          <dl className="details">
            <div className="key-value">
              <dt>Server-side encryption</dt>
              <dd data-testid="encryption">{encrypted ? 'Enabled' : 'Disabled'}</dd>
            </div>
            {encrypted ? (
              <div className="key-value key-value-wide">
                <dt>KMS key</dt>
                <dd className="mono">{stream.KeyId}</dd>
              </div>
            ) : null}
          </dl>
        }
        form={
          <>
            <label className="choice">
              <input type="checkbox" name="encrypt" checked={encrypt} onChange={(event) => setEncrypt(event.target.checked)} />
              Enable server-side encryption
            </label>
            {encrypt ? (
              <label className="field">
                <span className="field-label">KMS key (id, ARN or alias)</span>
                <input className="input" name="keyId" value={keyId} onChange={(event) => setKeyId(event.target.value)} spellCheck={false} />
              </label>
            ) : null}
          </>
        }
        save={() =>
          save(() =>
            api.run(({ kinesis }) => {
              if (encrypt) return kinesis.send(new StartStreamEncryptionCommand({ StreamARN: streamArn, EncryptionType: 'KMS', KeyId: keyId }));
              if (!encrypted) return Promise.resolve(undefined);
              return kinesis.send(new StopStreamEncryptionCommand({ StreamARN: streamArn, EncryptionType: 'KMS', KeyId: stream.KeyId }));
            }),
          )
        }
      />
      <EditSection
        id="enhanced-monitoring"
        title="Enhanced (shard-level) metrics"
        onOpen={() => setMetrics(new Set(enabledMetrics))}
        view={
          <p data-testid="enhanced-metrics">{enabledMetrics.size === 0 ? 'Disabled' : [...enabledMetrics].sort().join(', ')}</p>
        }
        form={
          <fieldset className="field">
            <legend className="field-label">Shard-level metrics</legend>
            {SHARD_LEVEL_METRICS.map((metric) => (
              <label className="choice" key={metric}>
                <input
                  type="checkbox"
                  name={`metric-${metric}`}
                  checked={metrics.has(metric)}
                  onChange={(event) => {
                    const next = new Set(metrics);
                    if (event.target.checked) next.add(metric);
                    else next.delete(metric);
                    setMetrics(next);
                  }}
                />
                {metric}
              </label>
            ))}
          </fieldset>
        }
        save={() =>
          save(async () => {
            const enable = [...metrics].filter((metric) => !enabledMetrics.has(metric));
            const disable = [...enabledMetrics].filter((metric) => !metrics.has(metric as MetricsName)) as MetricsName[];
            if (enable.length > 0) await api.run(({ kinesis }) => kinesis.send(new EnableEnhancedMonitoringCommand({ StreamARN: streamArn, ShardLevelMetrics: enable })));
            if (disable.length > 0) await api.run(({ kinesis }) => kinesis.send(new DisableEnhancedMonitoringCommand({ StreamARN: streamArn, ShardLevelMetrics: disable })));
          })
        }
      />
      <TagsSection streamArn={streamArn} />
      <section className="panel" aria-labelledby="details-title">
        <h2 id="details-title">Stream details</h2>
        <dl className="details">
          <div className="key-value key-value-wide">
            <dt>ARN</dt>
            <dd className="mono" data-testid="configuration-arn">
              {streamArn}
            </dd>
          </div>
          <div className="key-value">
            <dt>Creation time</dt>
            <dd>{stream.StreamCreationTimestamp?.toLocaleString()}</dd>
          </div>
          <div className="key-value">
            <dt>Registered consumers</dt>
            <dd>{stream.ConsumerCount ?? 0}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}

function TagsSection({ streamArn }: { streamArn: string }) {
  const api = useApi();
  const tags = useResource(() => listTags(api, streamArn), streamArn);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const change = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await call();
      tags.reload();
      return true;
    } catch (failure) {
      setError(errorOf(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="tags-title" data-section="tags">
      <h2 id="tags-title">Tags {tags.data ? <span className="count">({tags.data.length})</span> : null}</h2>
      <ErrorAlert error={tags.error} />
      <table className="table" aria-label="Tags">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tags.data?.map((tag) => (
            <tr key={tag.Key} data-tag={tag.Key}>
              <td>{tag.Key}</td>
              <td>{tag.Value}</td>
              <td>
                <button type="button" className="button button-small" disabled={busy} aria-label={`Remove tag ${tag.Key}`} onClick={() => void change(() => api.run(({ kinesis }) => kinesis.send(new RemoveTagsFromStreamCommand({ StreamARN: streamArn, TagKeys: [tag.Key!] }))))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
          {tags.data && tags.data.length === 0 ? (
            <tr>
              <td colSpan={3} className="empty">
                No tags.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <form
        className="form-row"
        onSubmit={(event) => {
          event.preventDefault();
          void change(() => api.run(({ kinesis }) => kinesis.send(new AddTagsToStreamCommand({ StreamARN: streamArn, Tags: { [key]: value } })))).then((ok) => {
            if (ok) {
              setKey('');
              setValue('');
            }
          });
        }}
      >
        <label className="field">
          <span className="field-label">Tag key</span>
          <input className="input" name="tagKey" value={key} onChange={(event) => setKey(event.target.value)} autoComplete="off" />
        </label>
        <label className="field">
          <span className="field-label">Tag value</span>
          <input className="input" name="tagValue" value={value} onChange={(event) => setValue(event.target.value)} autoComplete="off" />
        </label>
        <div className="field field-button">
          <button type="submit" className="button" disabled={busy}>
            Add tag
          </button>
        </div>
      </form>
      <ErrorAlert error={error} />
    </section>
  );
}
