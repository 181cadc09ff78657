/**
 * The parent's handle on the presence benchmark's client processes: spreads the users over them,
 * and gathers counts and arrival times over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SeededUser } from './seed';
import type { FromClients, ToClients } from './protocol';

type Reply<T extends FromClients['type']> = Extract<FromClients, { type: T }>;

export class ClientFleet {
  private constructor(private readonly procs: ChildProcess[]) {}

  static async start(processes: number): Promise<ClientFleet> {
    const procs = Array.from({ length: processes }, () =>
      spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'clients.ts')], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    for (const p of procs) {
      p.once('exit', (code) => {
        if (code !== 0 && code !== null) console.error(`presence client process ${p.pid} exited with ${code}`);
      });
    }
    return new ClientFleet(procs);
  }

  /** Opens one socket per user, split evenly over the processes. */
  async connect(url: string, cookieName: string, users: readonly SeededUser[], concurrency: number) {
    const replies = await this.ask('connected', (i) => ({
      type: 'connect',
      url,
      cookieName,
      cookies: users.filter((_, j) => j % this.procs.length === i).map((u) => u.cookieValue),
      concurrency,
    }));
    const failed = replies.reduce((sum, r) => sum + r.failed, 0);
    if (failed) throw new Error(`${failed} of ${users.length} sockets failed to connect: ${replies.find((r) => r.firstError)?.firstError}`);
    return replies.reduce((sum, r) => sum + r.sockets, 0);
  }

  async counts(): Promise<{ messages: number; joined: number; dropped: number }> {
    const replies = await this.ask('count', () => ({ type: 'count' }));
    return {
      messages: replies.reduce((sum, r) => sum + r.messages, 0),
      joined: replies.reduce((sum, r) => sum + r.joined, 0),
      dropped: replies.reduce((sum, r) => sum + r.dropped, 0),
    };
  }

  /**
   * Arms every process to timestamp userId's `joined` diff. Resolves once all are armed, with
   * `arrivals`: every socket's arrival time, once every socket has it. (Wrapped in an object: an
   * async function returning a bare promise would wait for it.)
   */
  async watch(userId: string, timeoutMs: number): Promise<{ arrivals: Promise<number[]> }> {
    const replies = this.ask('arrivals', () => null, timeoutMs);
    replies.catch(() => undefined); // observed below; this only stops an early failure going unhandled
    await this.ask('watching', () => ({ type: 'watch', userId }));
    return { arrivals: replies.then((all) => all.flatMap((r) => r.times)) };
  }

  close() {
    for (const p of this.procs) if (p.connected) p.send({ type: 'close' } satisfies ToClients);
  }

  /** Sends each process its message (null: send nothing, just wait) and collects one reply of `type` from each. */
  private ask<T extends FromClients['type']>(type: T, message: (i: number) => ToClients | null, timeoutMs = 600_000): Promise<Reply<T>[]> {
    return Promise.all(
      this.procs.map(
        (p, i) =>
          new Promise<Reply<T>>((resolve, reject) => {
            const timer = setTimeout(() => {
              p.off('message', onMessage);
              reject(new Error(`client process ${p.pid}: no "${type}" within ${timeoutMs} ms`));
            }, timeoutMs);
            const onMessage = (msg: FromClients) => {
              if (msg.type !== type) return;
              clearTimeout(timer);
              p.off('message', onMessage);
              resolve(msg as Reply<T>);
            };
            p.on('message', onMessage);
            const m = message(i);
            if (m) p.send(m);
          }),
      ),
    );
  }
}
