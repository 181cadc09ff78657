'use client';
/**
 * A live time-series chart on uPlot: canvas-drawn, ~50 KB, and cheap to feed a new point every
 * 2 s (setData, no re-render of the chart's DOM). The chart is rebuilt only when its set of series
 * changes (a room started or ended).
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
}

const HEIGHT = 220;
const AXIS = { stroke: '#9aa3b2', grid: { stroke: '#2a2f3a', width: 1 }, ticks: { stroke: '#2a2f3a', width: 1 } };

export function TimeChart({
  title,
  series,
  data,
  format,
  summary,
}: {
  title: string;
  series: ChartSeries[];
  /** [x (unix seconds), ...one array per series]; null leaves a gap. */
  data: uPlot.AlignedData;
  format: (value: number) => string;
  /** What the chart shows now, for screen readers (the canvas itself says nothing). */
  summary: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ data, format });
  latest.current = { data, format };
  const seriesKey = JSON.stringify(series);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const fmt = (v: number | null) => (v === null ? '–' : latest.current.format(v));
    const u = new uPlot(
      {
        width: el.clientWidth,
        height: HEIGHT,
        scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max, min + 1)] } },
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            value: (_u: uPlot, v: number | null) => fmt(v),
          })),
        ],
        axes: [AXIS, { ...AXIS, size: 80, values: (_u, ticks) => ticks.map((t) => fmt(t)) }],
        legend: { live: true },
      },
      latest.current.data,
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt only when the series change; data flows in through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seriesKey]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}: ${summary}`} />
    </figure>
  );
}
