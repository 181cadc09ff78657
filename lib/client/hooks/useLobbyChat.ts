'use client';
/** Binds a LobbyChat (lib/client/lobby) to React: one per lobby page, its state through useSyncExternalStore. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { LobbyChat, initialLobbyChatState } from '../lobby/LobbyChat';

export function useLobbyChat(me: { id: string; name: string }) {
  const [chat] = useState(() => new LobbyChat(me));
  useEffect(() => {
    chat.start();
    return () => chat.dispose();
  }, [chat]);
  const state = useSyncExternalStore(chat.subscribe, chat.getState, () => initialLobbyChatState);
  return { chat, state };
}
