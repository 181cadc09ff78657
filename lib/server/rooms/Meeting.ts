/**
 * What everyone in a meeting sees alike besides the seats: the host's spotlight and the queue of
 * raised hands. Each change says whether anything changed, so the caller broadcasts only then.
 */
import type { MeetingState } from '../../protocol';

export class Meeting {
  private spotlit: string | null = null;
  private readonly hands: string[] = [];

  view(): MeetingState {
    return { spotlight: this.spotlit, hands: [...this.hands] };
  }

  spotlight(userId: string | null): boolean {
    if (this.spotlit === userId) return false;
    this.spotlit = userId;
    return true;
  }

  /** Raised hands keep their order: a hand raised again while up stays where it was. */
  setHand(userId: string, raised: boolean): boolean {
    const at = this.hands.indexOf(userId);
    if (raised === at >= 0) return false;
    if (raised) this.hands.push(userId);
    else this.hands.splice(at, 1);
    return true;
  }

  /** The participant left: their hand goes down, their spotlight off. */
  forget(userId: string): boolean {
    const hand = this.setHand(userId, false);
    const spot = this.spotlit === userId && this.spotlight(null);
    return hand || spot;
  }
}
