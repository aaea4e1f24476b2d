import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface MetricSeries {
  /** Epoch seconds, ascending. */
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/**
 * One metric over the chosen range, drawn by uPlot, with the same numbers in a table beneath it for screen
 * readers and keyboard users (and in data attributes: the total, the number of datapoints).
 */
export function MetricChart({ id, title, unit, stat, metric, series, range }: { id: string; title: string; unit: string; stat: string; metric: string; series: MetricSeries | undefined; range: readonly [number, number] }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = element.current;
    if (!target || !series) return;
    const width = Math.max(240, target.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 160,
        scales: { x: { time: true, range: () => [range[0], range[1]] }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
        axes: [{ stroke: '#5f6b7a', grid: { stroke: '#e9ebed' } }, { stroke: '#5f6b7a', grid: { stroke: '#e9ebed' }, size: 60 }],
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        series: [{}, { label: title, stroke: '#0972d3', width: 2, fill: 'rgba(9, 114, 211, 0.08)', points: { show: series.timestamps.length < 40 } }],
      },
      [series.timestamps as number[], series.values as number[]],
      target,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(240, target.clientWidth), height: 160 }));
    observer.observe(target);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [series, range[0], range[1]]);

  const total = series ? series.values.reduce((sum, value) => sum + value, 0) : undefined;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`} data-metric={metric} data-stat={stat} data-points={series?.timestamps.length} data-total={total}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title} <span className="chart-unit">({unit})</span>
      </figcaption>
      <div ref={element} className="chart-canvas" aria-hidden="true" />
      {series && series.timestamps.length === 0 ? <p className="chart-empty">No data points in this period.</p> : null}
      <details className="chart-data">
        <summary>Data table</summary>
        <table className="table table-compact" aria-label={`${title} datapoints`}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">
                {stat} ({unit})
              </th>
            </tr>
          </thead>
          <tbody>
            {series?.timestamps.map((timestamp, index) => (
              <tr key={timestamp} data-timestamp={timestamp} data-value={series.values[index]}>
                <td>{new Date(timestamp * 1000).toLocaleString()}</td>
                <td>{series.values[index]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
