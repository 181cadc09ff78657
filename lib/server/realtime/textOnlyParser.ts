/**
 * socket.io's parser, minus binary packets. Confab's protocols (browser ↔ web process, web process
 * ↔ SFU node) are JSON only, but the stock decoder accepts a BINARY_EVENT header announcing any
 * number of attachments and holds each one in memory until the last arrives, and it does so on a
 * connection that has not authenticated yet (socket.io's middleware runs later, at the namespace
 * CONNECT). Ten anonymous connections sending nine 1 MB attachments each held ~100 MB.
 *
 * Refusing them at the decoder closes such a connection at its first binary packet ("parse
 * error"), before anything is buffered. The encoder is the stock one: Confab never emits binary.
 */
import { Decoder as StockDecoder, Encoder, PacketType } from 'socket.io-parser';

class TextOnlyDecoder extends StockDecoder {
  override add(obj: unknown) {
    if (typeof obj !== 'string') throw new Error('binary frames are not part of this protocol');
    const type = Number(obj.charAt(0));
    if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) {
      throw new Error('binary packets are not part of this protocol');
    }
    super.add(obj);
  }
}

export const textOnlyParser = { Encoder, Decoder: TextOnlyDecoder };
