/**
 * A room's chat with at-least-once delivery: a message shows at once as pending, is acked only once
 * the server stored it, and one that failed (or was pending when the socket dropped) goes out again
 * with the same clientId, which the server stores once.
 */
import type { ChatMessageView } from '../../protocol';
import { request } from '../socket';
import type { RoomEvent, RoomState } from '../sfu/roomReducer';

export class RoomChat {
  constructor(
    private readonly state: () => RoomState,
    private readonly dispatch: (event: RoomEvent) => void,
    private readonly myName: string,
  ) {}

  say(text: string): void {
    const selfId = this.state().selfId;
    if (!selfId) return;
    const clientId = crypto.randomUUID();
    this.send({ id: clientId, clientId, userId: selfId, name: this.myName, text, sentAt: Date.now() });
  }

  retry(clientId: string): void {
    const m = this.state().chat.find((x) => x.clientId === clientId);
    if (m) this.send(m);
  }

  /** Messages we could not deliver before (e.g. the socket dropped) go out again, same clientId. */
  resendUnsent(): void {
    for (const m of this.state().chat) if (m.status !== 'sent') void this.deliver(m);
  }

  private send(message: ChatMessageView): void {
    this.dispatch({ type: 'chat-pending', message });
    void this.deliver(message);
  }

  private async deliver(message: ChatMessageView): Promise<void> {
    try {
      const { message: stored } = await request('chat:send', { clientId: message.clientId, text: message.text });
      this.dispatch({ type: 'chat', message: stored });
    } catch {
      this.dispatch({ type: 'chat-failed', clientId: message.clientId });
    }
  }
}
