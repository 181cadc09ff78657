'use client';
import { useEffect, useRef, useState } from 'react';
import type { useRoom } from '@/lib/client/hooks/useRoom';
import { arrange, fitGrid, type TileRef, type ViewMode } from '@/lib/client/room/layout';
import type { RoomState } from '@/lib/client/sfu/roomReducer';
import { LocalTile, RemoteTile, type TileBox, type TileSpec } from './Tile';

type Room = ReturnType<typeof useRoom>;

export interface ViewPrefs {
  mode: ViewMode;
  pinned: string | null;
  page: number;
}

/** Filmstrip tiles: small enough for the lowest simulcast layer. */
const FILM: TileBox = { width: 192, height: 108 };
const GAP = 8;

/** One tile per participant (camera + mic), plus one per screen share. */
function tilesOf(state: RoomState, me: { id: string; name: string }): TileSpec[] {
  const tiles: TileSpec[] = [{ key: `${me.id}:camera`, name: me.name, userId: me.id, source: 'camera', reconnecting: false }];
  const remotes = Object.values(state.remotes);
  for (const p of state.participants) {
    if (p.userId === me.id) continue;
    const theirs = remotes.filter((x) => x.userId === p.userId);
    const reconnecting = p.connection === 'reconnecting';
    tiles.push({
      key: `${p.userId}:camera`,
      name: p.name,
      userId: p.userId,
      source: 'camera',
      video: theirs.find((x) => x.source === 'camera'),
      audio: theirs.find((x) => x.source === 'mic'),
      reconnecting,
    });
    const screen = theirs.find((x) => x.source === 'screen');
    if (screen) tiles.push({ key: `${p.userId}:screen`, name: `${p.name} (screen)`, userId: p.userId, source: 'screen', video: screen, reconnecting });
  }
  return tiles;
}

/** The size of an element, kept up to date. */
function useSize<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const r = entry?.contentRect;
      if (r) setSize((s) => (Math.abs(s.width - r.width) < 1 && Math.abs(s.height - r.height) < 1 ? s : { width: r.width, height: r.height }));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, size] as const;
}

export function Grid({ room, me, prefs, onPrefs }: { room: Room; me: { id: string; name: string }; prefs: ViewPrefs; onPrefs: (p: Partial<ViewPrefs>) => void }) {
  const { state } = room;
  const tiles = tilesOf(state, me);
  const byKey = new Map(tiles.map((t) => [t.key, t]));
  const refs: TileRef[] = tiles.map((t) => ({ key: t.key, userId: t.userId, source: t.source, self: t.userId === me.id }));
  const layout = arrange({
    tiles: refs,
    mode: prefs.mode,
    pinned: prefs.pinned,
    spotlight: state.meeting.spotlight,
    activeSpeaker: state.activeSpeaker,
    speakerOrder: state.speakerOrder,
    maxVisible: state.maxVisibleVideos,
    page: prefs.page,
  });
  const [area, size] = useSize<HTMLDivElement>();
  const filmstrip = layout.stage !== null && layout.shown.length > 0;
  const stageBox = { width: size.width, height: Math.max(0, size.height - (filmstrip ? FILM.height + GAP : 0)) };
  const fit = layout.stage ? fitGrid(1, stageBox) : fitGrid(layout.shown.length, size, 16 / 9, GAP);

  // Paged-out videos are not forwarded at all: their tiles are not rendered, so pause them here.
  const avatarConsumers = layout.avatars.map((k) => byKey.get(k)?.video?.consumerId).filter((id): id is string => !!id);
  const hiddenKey = avatarConsumers.join(',');
  useEffect(() => {
    for (const id of hiddenKey ? hiddenKey.split(',') : []) room.tileChanged(id, 0, false);
  }, [hiddenKey, room.tileChanged]);

  const render = (key: string, box: TileBox) => {
    const t = byKey.get(key)!;
    const pin = { pinned: prefs.pinned === key, onPin: () => onPrefs({ pinned: prefs.pinned === key ? null : key }) };
    const speaking = t.source === 'camera' && state.activeSpeaker === t.userId;
    const hand = state.meeting.hands.indexOf(t.userId);
    const overlay = { hand: hand >= 0 ? hand : null, reactions: state.reactions.filter((r) => r.userId === t.userId) };
    if (t.userId === me.id) {
      return <LocalTile key={key} stream={room.localStream} name={me.name} cameraOn={room.camera} micOn={room.mic} speaking={speaking} box={box} overlay={overlay} {...pin} />;
    }
    const videoTrack = t.video && !t.video.paused ? t.video.track : undefined;
    return <RemoteTile key={key} spec={t} videoTrack={videoTrack} speaking={speaking} box={box} overlay={overlay} onChanged={room.tileChanged} {...pin} />;
  };

  return (
    <section className="meeting-view" aria-label="Participants' videos">
      <div ref={area} className={layout.stage ? 'room-stage-view' : 'room-grid'} data-testid="room-grid" data-layout={layout.stage ? 'stage' : 'grid'} data-cols={fit.cols}>
        {size.width > 0 &&
          (layout.stage ? (
            <>
              <div className="room-stage">{render(layout.stage, fit)}</div>
              {filmstrip && <div className="filmstrip">{layout.shown.map((k) => render(k, FILM))}</div>}
            </>
          ) : (
            <div className="grid-tiles" style={{ gridTemplateColumns: `repeat(${fit.cols}, ${fit.width}px)` }}>
              {layout.shown.map((k) => render(k, fit))}
            </div>
          ))}
      </div>
      {layout.avatars.length > 0 && (
        <div className="paging" data-testid="room-paging">
          <button type="button" className="button ghost" disabled={layout.page === 0} onClick={() => onPrefs({ page: layout.page - 1 })}>
            Previous page
          </button>
          <ul className="avatars" aria-label="Not in view">
            {layout.avatars.map((k) => (
              <li key={k} className="avatar" title={byKey.get(k)!.name} data-testid="room-avatar">
                {byKey.get(k)!.name.slice(0, 1).toUpperCase()}
              </li>
            ))}
          </ul>
          <span className="muted">
            Page {layout.page + 1} of {layout.pages}
          </span>
          <button type="button" className="button ghost" disabled={layout.page >= layout.pages - 1} onClick={() => onPrefs({ page: layout.page + 1 })}>
            Next page
          </button>
        </div>
      )}
    </section>
  );
}
