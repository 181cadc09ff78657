/**
 * Room-wide dominant speaker. One ActiveSpeakerObserver lives on the room's primary router; audio
 * producers on other routers are piped there first (the room does that), so every microphone of the
 * room competes in one observer. mediasoup copies a producer's appData onto its pipe producers,
 * which is how a piped producer still names its peer.
 *
 * The observer never reports "nobody": when the dominant speaker's producer goes away (mic closed,
 * peer left) this reports null, so the UI does not highlight someone who is gone.
 */
import type { types } from 'mediasoup';
import type { ProducerAppData } from './types';

/** How often the observer re-evaluates; mediasoup's default, responsive without flapping. */
const INTERVAL_MS = 300;

export class ActiveSpeaker {
  private current: { peerId: string; producerId: string } | null = null;

  private constructor(
    private readonly observer: types.ActiveSpeakerObserver,
    private readonly onChange: (peerId: string | null) => void,
  ) {
    observer.on('dominantspeaker', ({ producer }) => {
      const { peerId } = producer.appData as ProducerAppData;
      if (this.current?.producerId === producer.id) return;
      this.current = { peerId, producerId: producer.id };
      onChange(peerId);
    });
  }

  static async create(router: types.Router, onChange: (peerId: string | null) => void): Promise<ActiveSpeaker> {
    return new ActiveSpeaker(await router.createActiveSpeakerObserver({ interval: INTERVAL_MS }), onChange);
  }

  /**
   * `producer` is the peer's own producer; it (or, keeping its id, its pipe) must already be on the
   * observer's router. A closed producer leaves the observer by itself, silently: mediasoup only
   * reports explicit removals, so its closing is watched here.
   */
  async add(producer: types.Producer): Promise<void> {
    await this.observer.addProducer({ producerId: producer.id });
    producer.observer.once('close', () => {
      if (this.current?.producerId !== producer.id) return;
      this.current = null;
      this.onChange(null);
    });
  }
}
