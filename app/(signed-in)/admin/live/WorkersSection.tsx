'use client';
import type { AdminNode, AdminWorker } from '@/lib/protocol';
import { formatPct } from '../format';

export function WorkersSection({ workers, nodes }: { workers: AdminWorker[]; nodes: AdminNode[] }) {
  const down = nodes.filter((n) => n.state !== 'connected');
  return (
    <section className="panel" aria-labelledby="admin-workers">
      <div className="panel-head">
        <h2 id="admin-workers">SFU workers</h2>
        <span className="muted">
          {nodes.length} node{nodes.length === 1 ? '' : 's'}
        </span>
      </div>
      {down.map((n) => (
        <p key={n.url} className="notice error small" role="alert">
          SFU node {n.url} is {n.state}: rooms cannot be opened on it.
        </p>
      ))}
      {workers.length === 0 ? (
        <p className="muted empty-line">{nodes.length ? 'No worker reported yet.' : 'No SFU node is configured.'}</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Worker pid</th>
                <th scope="col" title="Since the previous update, % of one core">
                  CPU
                </th>
                <th scope="col">Routers</th>
                <th scope="col">Transports</th>
              </tr>
            </thead>
            <tbody>
              {workers.map((w) => (
                <tr key={`${w.node}#${w.pid}`} data-testid="admin-worker">
                  <td>{w.node}</td>
                  <th scope="row">{w.pid}</th>
                  <td>
                    {w.cpuPercent === null ? (
                      <span className="muted">measuring…</span>
                    ) : (
                      <span className="meter">
                        <span className="meter-bar" style={{ width: `${Math.min(100, w.cpuPercent)}%` }} />
                        {formatPct(w.cpuPercent)}
                      </span>
                    )}
                  </td>
                  <td>{w.routers}</td>
                  <td>{w.transports}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
