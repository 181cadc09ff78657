/**
 * When a meeting is over for a participant (ended by the host or an admin, or they were removed),
 * the room page sends them to the lobby with the reason in the address, and the lobby shows it as
 * a dismissible banner. The address is the carrier so the message survives the navigation; it is
 * parsed with zod on the server like any other input.
 */
import { z } from './zod';
import { backToLobbyReasons, ROOM_NAME_MAX, type BackToLobbyReason } from './rooms';

export interface LobbyNotice {
  reason: BackToLobbyReason;
  room: string | null;
}

const noticeParams = z.object({
  ended: z.enum(backToLobbyReasons),
  room: z.string().trim().min(1).max(ROOM_NAME_MAX).optional().catch(undefined),
});

export function lobbyNoticeHref(reason: BackToLobbyReason, room: string): string {
  return `/lobby?${new URLSearchParams({ ended: reason, room }).toString()}`;
}

/** The notice in the lobby's search params, if a valid one is there. */
export function parseLobbyNotice(params: Record<string, string | string[] | undefined>): LobbyNotice | null {
  const parsed = noticeParams.safeParse(params);
  return parsed.success ? { reason: parsed.data.ended, room: parsed.data.room ?? null } : null;
}

export const isBackToLobbyReason = (reason: string): reason is BackToLobbyReason =>
  (backToLobbyReasons as readonly string[]).includes(reason);
