import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartSpec } from '../monitoring/metric-catalog.js';
import type { MetricSeries, MetricWindow } from '../monitoring/metric-data.js';

/** One line of a chart: a stream, a shard or a consumer. */
export interface ChartSeries extends MetricSeries {
  readonly label: string;
}

export type MetricLevel = 'stream' | 'shard' | 'consumer';

/** One colour for a lone series; for several, the AWS console's categorical palette, then dashed once it is used up. */
const SINGLE_COLOUR = '#0972d3';
const PALETTE = ['#688ae8', '#c33d69', '#2ea597', '#8456ce', '#e07941', '#3759ce', '#962249', '#096f64', '#6237a7', '#a84401', '#273ea5', '#780d35'];
const HEIGHT = 160;
/** Series with fewer datapoints than this are drawn with their points, so that a lone minute shows. */
const POINTS_UNDER = 40;

export function seriesColour(index: number, count: number): string {
  return count === 1 ? SINGLE_COLOUR : PALETTE[index % PALETTE.length]!;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** The series' timestamps merged, each series' values at them (null where it has none), as uPlot takes them. */
function aligned(series: readonly ChartSeries[]): uPlot.AlignedData {
  const times = [...new Set(series.flatMap((one) => one.timestamps))].sort((a, b) => a - b);
  const at = new Map(times.map((time, index) => [time, index]));
  const columns = series.map((one) => {
    const column: (number | null)[] = times.map(() => null);
    one.timestamps.forEach((time, i) => (column[at.get(time)!] = one.values[i]!));
    return column;
  });
  return [times, ...columns];
}

/**
 * One metric over the chosen window, drawn by uPlot with a series per stream, shard or consumer, and the same
 * numbers in a table beneath it for screen readers and keyboard users. The figure carries them for tests too:
 * data-points and data-total over all series, data-series-totals (JSON: label to total), and per legend entry.
 */
export function MetricChart({ id, spec, level, series, timeWindow, seriesLabel }: {
  id: string;
  spec: ChartSpec;
  level: MetricLevel;
  series: readonly ChartSeries[] | undefined;
  timeWindow: MetricWindow;
  /** What a series is ("Shard", "Consumer"): the legend and the table's first column. None for a single series. */
  seriesLabel?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = element.current;
    if (!target || !series) return;
    const count = series.length;
    const plot = new uPlot(
      {
        width: Math.max(240, target.clientWidth),
        height: HEIGHT,
        // Half a period of room either side, so that the first and the current period are not cut at the edge.
        scales: {
          x: { time: true, range: () => [timeWindow.start - timeWindow.period / 2, timeWindow.end + timeWindow.period / 2] },
          y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
        },
        axes: [{ stroke: '#5f6b7a', grid: { stroke: '#e9ebed' } }, { stroke: '#5f6b7a', grid: { stroke: '#e9ebed' }, size: 60 }],
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        series: [
          {},
          ...series.map((one, index): uPlot.Series => {
            const colour = seriesColour(index, count);
            const few = one.timestamps.length < POINTS_UNDER;
            return {
              label: one.label,
              stroke: colour,
              width: 2,
              ...(count === 1 ? { fill: 'rgba(9, 114, 211, 0.08)' } : {}),
              ...(index >= PALETTE.length ? { dash: [6, 3] } : {}),
              spanGaps: true,
              points: { show: few, size: one.timestamps.length <= 2 ? 10 : 7, fill: colour, stroke: colour },
            };
          }),
        ],
      },
      aligned(series),
      target,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(240, target.clientWidth), height: HEIGHT }));
    observer.observe(target);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [series, timeWindow.start, timeWindow.end, timeWindow.period]);

  const points = series?.reduce((total, one) => total + one.timestamps.length, 0);
  const total = series?.reduce((all, one) => all + sum(one.values), 0);
  const totals = series ? JSON.stringify(Object.fromEntries(series.map((one) => [one.label, sum(one.values)]))) : undefined;
  const multi = seriesLabel !== undefined;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`} data-metric={spec.metric} data-stat={spec.stat} data-level={level} data-points={points} data-total={total} data-series-totals={totals}>
      <figcaption id={`${id}-title`} className="chart-title">
        {spec.title} <span className="chart-unit">({spec.unit})</span>
      </figcaption>
      <div ref={element} className="chart-canvas" aria-hidden="true" />
      {series && points === 0 ? <p className="chart-empty">No data points in this period.</p> : null}
      {multi && series && series.length > 0 ? (
        <ul className="chart-legend" aria-label={`${seriesLabel}s`}>
          {series.map((one, index) => (
            <li key={one.label} className="legend-item" data-series={one.label} data-points={one.timestamps.length} data-total={sum(one.values)} data-colour={seriesColour(index, series.length)}>
              <span className={index >= PALETTE.length ? 'swatch swatch-dashed' : 'swatch'} style={{ borderColor: seriesColour(index, series.length) }} aria-hidden="true" />
              <span className="legend-label">{one.label}</span>
              {one.timestamps.length === 0 ? <span className="legend-empty"> (no data)</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="chart-data">
        <summary>Data table</summary>
        <div className="chart-table">
          <table className="table table-compact" aria-label={`${spec.title} (${spec.metric}) datapoints`}>
            <thead>
              <tr>
                {multi ? <th scope="col">{seriesLabel}</th> : null}
                <th scope="col">Time</th>
                <th scope="col">
                  {spec.stat} ({spec.unit})
                </th>
              </tr>
            </thead>
            <tbody>
              {series?.flatMap((one) =>
                one.timestamps.map((timestamp, index) => (
                  <tr key={`${one.label}|${timestamp}`} data-series={multi ? one.label : undefined} data-timestamp={timestamp} data-value={one.values[index]}>
                    {multi ? <th scope="row">{one.label}</th> : null}
                    <td>{new Date(timestamp * 1000).toLocaleString()}</td>
                    <td>{one.values[index]}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
