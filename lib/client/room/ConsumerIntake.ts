/**
 * Takes the consumers the server pushes to a room session: accepts each batch in one
 * renegotiation, shows each stream, and tells when a join's first streams are all in, so that our
 * own encoders start after them (they compete for the CPU with the first remote pictures).
 */
import type { RoomConsumer } from '../../protocol';
import type { SfuClient } from '../sfu/SfuClient';
import { firstMedia } from '../sfu/SfuClient';
import type { RoomEvent } from '../sfu/roomReducer';

interface IntakeDeps {
  media: () => SfuClient;
  /** Settles once the current transports exist locally. */
  transportsReady: () => Promise<void>;
  /** Whether pushes are welcome now (joined, or joining). */
  inRoom: () => boolean;
  dispatch: (event: RoomEvent) => void;
}

export class ConsumerIntake {
  /** The join's announced consumers not yet accepted and flowing. */
  private initial: { left: number; done: () => void } | null = null;

  constructor(private readonly deps: IntakeDeps) {}

  /**
   * A join said `count` consumers are coming: resolves once each was accepted and, for a video,
   * its first packets came (or it failed); or after `maxWaitMs`.
   */
  initialStreams(count: number, maxWaitMs: number): Promise<void> {
    const all = new Promise<void>((done) => {
      this.initial = { left: count, done };
      if (count === 0) done();
    });
    return Promise.race([all, new Promise<void>((r) => setTimeout(r, maxWaitMs))]);
  }

  /**
   * Takes a batch of pushed consumers; returns the ids it could not take. Every consume starts in
   * the same task, so mediasoup-client makes them all in one renegotiation.
   */
  async acceptAll(batch: RoomConsumer[]): Promise<string[]> {
    if (!this.deps.inRoom()) return batch.map((c) => c.consumerId);
    performance.mark('confab:consumer-offered');
    await this.deps.transportsReady();
    const results = await Promise.allSettled(batch.map((info) => this.accept(info)));
    return batch.filter((_, i) => results[i]!.status === 'rejected').map((c) => c.consumerId);
  }

  private async accept(info: RoomConsumer): Promise<void> {
    const initial = this.initial;
    const settled = () => {
      if (initial && --initial.left <= 0) {
        if (this.initial === initial) this.initial = null;
        initial.done();
      }
    };
    const consumer = await this.deps
      .media()
      .accept(info)
      .catch((err: unknown) => {
        settled();
        throw err;
      });
    performance.mark('confab:consumer-accepted');
    if (consumer.kind === 'video') {
      void firstMedia(consumer.track, 5_000).then(() => {
        performance.mark('confab:consumer-flowing');
        settled();
      });
    } else settled();
    this.deps.dispatch({
      type: 'remote-added',
      remote: {
        consumerId: info.consumerId,
        producerId: info.producerId,
        userId: info.userId,
        source: info.source,
        kind: info.kind,
        paused: info.producerPaused,
        track: consumer.track,
        score: null,
        producerScore: null,
        quality: null,
      },
    });
  }
}
