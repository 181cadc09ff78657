/**
 * Reports a consumer's media state to the web process (`consumer:state`): its producer paused or
 * resumed, its score, the simulcast layer it forwards. A pause or resume goes out at once (a tile
 * shows "camera off"); scores and layers move often and are coalesced to one report per consumer
 * per SCORE_REPORT_MS, carrying the latest values.
 */
import type { types } from 'mediasoup';
import type { SfuEventPayload } from '../lib/protocol/sfuRpc';
import type { ConsumerAppData } from './Peer';

const SCORE_REPORT_MS = 1_000;

type Payload = SfuEventPayload<'consumer:state'>;
type Tracked = { timer?: NodeJS.Timeout; producerPaused: boolean };

export class ConsumerStateReporter {
  private readonly tracked = new Map<string, Tracked>();

  constructor(private readonly emit: (payload: Payload) => void) {}

  /** `pauseChanged`: the producer paused or resumed (reported at once). */
  changed(roomId: string, peerId: string, consumer: types.Consumer<ConsumerAppData>, pauseChanged = false): void {
    if (consumer.closed) return this.forget(consumer.id);
    let t = this.tracked.get(consumer.id);
    if (!t) {
      t = { producerPaused: pauseChanged ? !consumer.producerPaused : consumer.producerPaused };
      this.tracked.set(consumer.id, t);
      consumer.observer.once('close', () => this.forget(consumer.id));
    }
    const report = () => {
      t.timer = undefined;
      t.producerPaused = consumer.producerPaused;
      if (!consumer.closed) this.emit(snapshot(roomId, peerId, consumer));
    };
    if (t.producerPaused !== consumer.producerPaused) {
      clearTimeout(t.timer);
      report();
    } else if (!t.timer) {
      t.timer = setTimeout(report, SCORE_REPORT_MS);
      t.timer.unref();
    }
  }

  forget(consumerId: string): void {
    clearTimeout(this.tracked.get(consumerId)?.timer);
    this.tracked.delete(consumerId);
  }

  clear(): void {
    for (const id of [...this.tracked.keys()]) this.forget(id);
  }
}

function snapshot(roomId: string, peerId: string, consumer: types.Consumer<ConsumerAppData>): Payload {
  return {
    roomId,
    peerId,
    consumerId: consumer.id,
    producerPaused: consumer.producerPaused,
    score: consumer.score.score,
    producerScore: consumer.score.producerScore,
    spatialLayer: consumer.currentLayers?.spatialLayer ?? null,
  };
}
