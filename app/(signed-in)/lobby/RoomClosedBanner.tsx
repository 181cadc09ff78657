'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { roomClosedText, type LobbyNotice } from '@/lib/protocol';

/**
 * Why the user is back in the lobby (their meeting was ended, or they were removed). Announced
 * politely to screen readers and focused once, so keyboard users land on it; Dismiss clears it
 * from the address too, so a reload does not bring it back.
 */
export function RoomClosedBanner({ notice }: { notice: LobbyNotice }) {
  const router = useRouter();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);

  return (
    <div className="notice lobby-notice" role="status" tabIndex={-1} ref={ref} data-testid="room-closed">
      <div>
        <strong>{roomClosedText[notice.reason]}.</strong>
        {notice.room && <span className="muted"> Meeting: {notice.room}</span>}
      </div>
      <button
        type="button"
        className="button ghost"
        onClick={() => router.replace('/lobby')}
        aria-label="Dismiss this message"
      >
        Dismiss
      </button>
    </div>
  );
}
