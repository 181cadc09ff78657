/**
 * The SFU nodes the web process can place rooms on. A room lives on one node for its whole
 * meeting; new rooms go to the node with the fewest live rooms.
 */
import type { SfuEvent, SfuEventPayload, SfuMethod, SfuRequest, SfuResponse } from '../../protocol';

/** What the room logic needs from a node connection (implemented by SfuNodeClient). */
export interface SfuNode {
  readonly url: string;
  readonly connected: boolean;
  waitConnected(timeoutMs: number): Promise<void>;
  request<M extends SfuMethod>(method: M, payload: SfuRequest<M>): Promise<SfuResponse<M>>;
  on<E extends SfuEvent>(event: E, listener: (payload: SfuEventPayload<E>) => void): void;
}

export class SfuNodes {
  private readonly load = new Map<SfuNode, number>();

  constructor(readonly nodes: SfuNode[]) {
    for (const node of nodes) this.load.set(node, 0);
  }

  pick(): SfuNode | undefined {
    let best: SfuNode | undefined;
    for (const [node, rooms] of this.load) {
      if (!node.connected) continue;
      if (!best || rooms < (this.load.get(best) ?? 0)) best = node;
    }
    return best;
  }

  /**
   * A connected node, waiting up to `timeoutMs` for one to (re)connect: a web process that just
   * started serves before its RPC links are up, and a node may be restarting.
   */
  async pickWhenConnected(timeoutMs: number): Promise<SfuNode | undefined> {
    const now = this.pick();
    if (now || timeoutMs <= 0) return now;
    await Promise.any(this.nodes.map((n) => n.waitConnected(timeoutMs))).catch(() => undefined);
    return this.pick();
  }

  roomOpened(node: SfuNode) {
    this.load.set(node, (this.load.get(node) ?? 0) + 1);
  }

  roomClosed(node: SfuNode) {
    this.load.set(node, Math.max(0, (this.load.get(node) ?? 0) - 1));
  }
}
