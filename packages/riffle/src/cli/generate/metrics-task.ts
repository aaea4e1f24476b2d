import { CliError } from '../cli-error.js';
import type { StaticCredentials } from '../kinesis-target.js';

/** A metric of a component, as the lab's task declares it: `"cpu": {"unit": "percent", "minValue": 10, "maxValue": 25}`. */
export interface TaskMetric {
  readonly component: string;
  readonly metric: string;
  readonly unit: string;
  readonly minValue: number;
  readonly maxValue: number;
}

export type TaskTimer =
  | { readonly type: 'realtime'; readonly rateMillis: number; readonly startTime: number | undefined }
  | { readonly type: 'synthetic'; readonly stepMillis: number; readonly startTime: number };

/** The lab generator's `kinesis-metrics-stream` task, checked. */
export interface MetricsTask {
  readonly streamName: string;
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
  readonly credentials: StaticCredentials | undefined;
  readonly iterationsNumber: number;
  readonly timer: TaskTimer;
  /** In the task's order: components, then each component's metrics. */
  readonly metrics: readonly TaskMetric[];
  /** Keys the task has that the format does not know, as JSON paths: warned about, not refused. */
  readonly unknownKeys: readonly string[];
}

/** The original generator's other task types write files; riffle generate only sends to streams. */
const FILE_TASK_TYPES: Record<string, string> = {
  'windowed-metrics': 'writes CSV files',
  'server-access-log': 'writes log files',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

class TaskReader {
  readonly unknownKeys: string[] = [];

  constructor(private readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new CliError(`${this.file}: ${path} ${problem}`);
  }

  object(value: Json | undefined, path: string, known: readonly string[] | undefined): JsonObject {
    if (value === undefined) this.fail(path, 'is missing');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be an object');
    const prefix = path === 'the task' ? '' : `${path}.`;
    if (known) for (const key of Object.keys(value)) if (!known.includes(key)) this.unknownKeys.push(`${prefix}${key}`);
    return value;
  }

  string(value: Json | undefined, path: string): string {
    if (value === undefined) this.fail(path, 'is missing');
    if (typeof value !== 'string' || value.length === 0) this.fail(path, 'must be a non-empty string');
    // The lab's task files are templates: `${aws_region}` is meant to be replaced before a run.
    if (/\$\{[^}]*\}/.test(value)) this.fail(path, `is the placeholder ${JSON.stringify(value)}: replace it with a value`);
    return value;
  }

  optionalString(value: Json | undefined, path: string): string | undefined {
    return value === undefined ? undefined : this.string(value, path);
  }

  number(value: Json | undefined, path: string): number {
    if (value === undefined) this.fail(path, 'is missing');
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'must be a number');
    return value;
  }

  positive(value: Json | undefined, path: string): number {
    if (value === undefined) this.fail(path, 'is missing');
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) this.fail(path, 'must be a positive number');
    return value;
  }

  positiveInteger(value: Json | undefined, path: string): number {
    if (value === undefined) this.fail(path, 'is missing');
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) this.fail(path, 'must be a positive integer');
    return value;
  }

  timestamp(value: Json | undefined, path: string): number {
    const text = this.string(value, path);
    // ISO-8601 as the lab writes it ("2020-01-01T11:32:54.000Z"); a zone is required so that the time is not the machine's.
    const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(time)) this.fail(path, `must be an ISO-8601 timestamp with a zone, like "2020-01-01T11:32:54.000Z" (got ${JSON.stringify(text)})`);
    return time;
  }
}

function readTimer(reader: TaskReader, value: Json | undefined): TaskTimer {
  const timer = reader.object(value, 'timer', ['@type', 'startTime', 'rateMillis', 'stepMillis']);
  const type = reader.string(timer['@type'], 'timer.@type');
  if (type === 'realtime') {
    return {
      type,
      rateMillis: reader.positive(timer.rateMillis, 'timer.rateMillis'),
      startTime: timer.startTime === undefined ? undefined : reader.timestamp(timer.startTime, 'timer.startTime'),
    };
  }
  if (type === 'synthetic') {
    return { type, stepMillis: reader.positive(timer.stepMillis, 'timer.stepMillis'), startTime: reader.timestamp(timer.startTime, 'timer.startTime') };
  }
  return reader.fail('timer.@type', `must be "realtime" or "synthetic" (got ${JSON.stringify(type)})`);
}

function readMetrics(reader: TaskReader, value: Json | undefined): TaskMetric[] {
  const components = reader.object(value, 'metrics', undefined);
  const metrics: TaskMetric[] = [];
  for (const [component, declared] of Object.entries(components)) {
    const componentPath = `metrics.${component}`;
    const ofComponent = reader.object(declared, componentPath, undefined);
    if (Object.keys(ofComponent).length === 0) reader.fail(componentPath, 'must declare at least one metric');
    for (const [metric, spec] of Object.entries(ofComponent)) {
      const path = `${componentPath}.${metric}`;
      const fields = reader.object(spec, path, ['unit', 'minValue', 'maxValue']);
      const minValue = reader.number(fields.minValue, `${path}.minValue`);
      const maxValue = reader.number(fields.maxValue, `${path}.maxValue`);
      if (minValue > maxValue) reader.fail(`${path}.minValue`, `(${minValue}) must not be greater than maxValue (${maxValue})`);
      metrics.push({ component, metric, unit: reader.string(fields.unit, `${path}.unit`), minValue, maxValue });
    }
  }
  if (metrics.length === 0) reader.fail('metrics', 'must declare at least one component with a metric');
  return metrics;
}

/**
 * Checks a `kinesis-metrics-stream` task (already parsed JSON) and returns it typed; any problem is a CliError (exit 2)
 * naming the file and the JSON path: `task.json: timer.rateMillis must be a positive number`.
 */
export function readMetricsTask(parsed: unknown, file: string): MetricsTask {
  const reader = new TaskReader(file);
  const task = reader.object(parsed as Json, 'the task', ['@type', 'stream', 'auth', 'iterationsNumber', 'timer', 'metrics', 'endpoint']);
  const type = reader.string(task['@type'], '@type');
  if (type !== 'kinesis-metrics-stream') {
    const files = FILE_TASK_TYPES[type];
    if (files) reader.fail('@type', `"${type}" ${files} in the lab's generator and is not supported by riffle generate, which sends to streams: use "kinesis-metrics-stream", or --data-profile access-logs for web server logs`);
    reader.fail('@type', `must be "kinesis-metrics-stream" (got ${JSON.stringify(type)})`);
  }
  const stream = reader.object(task.stream, 'stream', ['region', 'streamName']);
  const streamName = reader.string(stream.streamName, 'stream.streamName');
  if (!STREAM_NAME.test(streamName)) reader.fail('stream.streamName', `must be 1-128 letters, digits, _ . or - (got ${JSON.stringify(streamName)})`);
  let credentials: StaticCredentials | undefined;
  if (task.auth !== undefined) {
    const auth = reader.object(task.auth, 'auth', ['accessKeyId', 'secretKey', 'sessionToken']);
    const sessionToken = reader.optionalString(auth.sessionToken, 'auth.sessionToken');
    credentials = {
      accessKeyId: reader.string(auth.accessKeyId, 'auth.accessKeyId'),
      secretAccessKey: reader.string(auth.secretKey, 'auth.secretKey'),
      ...(sessionToken !== undefined ? { sessionToken } : {}),
    };
  }
  const endpoint = reader.optionalString(task.endpoint, 'endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) reader.fail('endpoint', `must be an http:// or https:// URL (got ${JSON.stringify(endpoint)})`);
  return {
    streamName,
    region: reader.optionalString(stream.region, 'stream.region'),
    endpoint,
    credentials,
    iterationsNumber: reader.positiveInteger(task.iterationsNumber, 'iterationsNumber'),
    timer: readTimer(reader, task.timer),
    metrics: readMetrics(reader, task.metrics),
    unknownKeys: reader.unknownKeys,
  };
}

/** Parses a task file's text (plain JSON), with the parser's complaint and position on a syntax error. */
export function parseMetricsTask(text: string, file: string): MetricsTask {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    let where = '';
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      where = ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
    }
    throw new CliError(`${file}: not JSON${where}: ${message}`);
  }
  return readMetricsTask(parsed, file);
}
