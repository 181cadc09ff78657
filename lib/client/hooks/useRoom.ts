'use client';
/**
 * Binds a RoomSession (lib/client/room) to React: one session per room page, its state through
 * useSyncExternalStore. Everything a room does lives in the session; this only wires it up.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { RoomSession } from '../room/RoomSession';
import { initialRoomState } from '../sfu/roomReducer';

export type { JoinOptions } from '../room/RoomSession';

export function useRoom(slug: string, myName: string) {
  const [session] = useState(() => new RoomSession(slug, myName));
  useEffect(() => {
    session.start();
    return () => session.dispose();
  }, [session]);
  const state = useSyncExternalStore(session.subscribe, session.getState, () => initialRoomState);
  const stream = session.localStream;
  return {
    session,
    state,
    media: state.transport,
    mic: state.local.mic,
    camera: state.local.camera,
    screen: state.local.screen,
    localStream: stream,
    hasMic: !!stream?.getAudioTracks().length,
    hasCamera: !!stream?.getVideoTracks().length,
    prepare: session.prepare,
    join: session.join,
    cancelKnock: session.meeting.cancelKnock,
    leave: session.leave,
    toggleMic: session.toggleMic,
    toggleCamera: session.toggleCamera,
    toggleScreen: session.toggleScreen,
    say: session.say,
    retryChat: session.retryChat,
    tileChanged: session.tileChanged,
    host: session.host,
    setHand: session.meeting.setHand,
    switchDevice: session.switchDevice,
    react: session.meeting.react,
    dismissNotice: session.dismissNotice,
    retryMedia: session.retryMedia,
  };
}
