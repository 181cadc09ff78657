'use client';
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { ChartPoint } from '@/lib/client/hooks/useAdminFeed';
import { formatBitrate } from '../format';
import { TimeChart, type ChartSeries } from './TimeChart';

const PALETTE = ['#4f8cff', '#2fbf71', '#f0b429', '#e5484d', '#a371f7', '#3fc1c9', '#ff8c42', '#c2c7d0'];

export function Charts({ history }: { history: ChartPoint[] }) {
  const charts = useMemo(() => {
    const xs = history.map((p) => p.at / 1000);
    // Every room seen in the window, in order of appearance, named as it was last seen.
    const names = new Map<string, string>();
    for (const p of history) for (const [id, r] of Object.entries(p.rooms)) names.set(id, r.name);
    const ids = [...names.keys()];
    const roomSeries: ChartSeries[] = ids.map((id, i) => ({
      label: names.get(id)!,
      color: PALETTE[i % PALETTE.length]!,
    }));
    const bitrate = [xs, ...ids.map((id) => history.map((p) => p.rooms[id]?.bitrate ?? null))] as uPlot.AlignedData;
    const consumers = [xs, history.map((p) => p.consumers)] as uPlot.AlignedData;
    const last = history.at(-1);
    const bitrateSummary = last
      ? Object.values(last.rooms)
          .map((r) => `${r.name} ${formatBitrate(r.bitrate)}`)
          .join(', ') || 'no live room'
      : '';
    return { roomSeries, bitrate, consumers, bitrateSummary, consumersNow: last?.consumers ?? 0 };
  }, [history]);

  return (
    <section className="panel" aria-labelledby="admin-charts">
      <div className="panel-head">
        <h2 id="admin-charts">Over time</h2>
        <span className="muted">last 5 minutes while this page is open</span>
      </div>
      {history.length < 2 ? (
        <p className="muted empty-line">Collecting data… the charts appear after the next update.</p>
      ) : (
        <div className="charts">
          {charts.roomSeries.length === 0 ? (
            <p className="muted empty-line">
              No room has been live since this page opened, so there is no bitrate to chart.
            </p>
          ) : (
            <TimeChart
              title="Bitrate per room (in + out at the SFU)"
              series={charts.roomSeries}
              data={charts.bitrate}
              format={formatBitrate}
              summary={charts.bitrateSummary}
            />
          )}
          <TimeChart
            title="Consumers (streams the SFU forwards)"
            series={[{ label: 'Consumers', color: '#2fbf71' }]}
            data={charts.consumers}
            format={(v) => String(Math.round(v))}
            summary={`${charts.consumersNow} now`}
          />
        </div>
      )}
    </section>
  );
}
