import { describe, expect, it } from 'vitest';
import { historySearch, parseHistoryQuery } from '@/lib/server/admin/history';
import { csvCell, sessionsCsv } from '@/lib/server/admin/historyCsv';

describe('history filter', () => {
  it('parses a form submission, blanks included', () => {
    expect(parseHistoryQuery({ from: '2026-11-01', to: '', user: ' ann ', kind: 'ROOM', page: '3' })).toEqual({
      filter: { from: '2026-11-01', user: 'ann', kind: 'ROOM', page: 3 },
      problems: [],
    });
    expect(parseHistoryQuery({})).toEqual({ filter: { page: 1 }, problems: [] });
  });

  it('names what is wrong and falls back to no filter', () => {
    const r = parseHistoryQuery({ from: '2026-11-30', to: '2026-11-01' });
    expect(r.filter).toEqual({ page: 1 });
    expect(r.problems).toEqual(['“From” must not be after “to”']);
    expect(parseHistoryQuery({ kind: 'SFU' }).problems).toEqual(['Kind is P2P or ROOM']);
    expect(parseHistoryQuery({ from: 'yesterday' }).problems).toEqual(['Use a date like 2026-11-21']);
  });

  it('round-trips into links', () => {
    expect(historySearch({ from: '2026-11-01', kind: 'P2P', page: 1 }, 2)).toBe('?from=2026-11-01&kind=P2P&page=2');
    expect(historySearch({ page: 4 })).toBe('');
  });
});

describe('CSV export', () => {
  it('quotes and defuses spreadsheet formulas in user-chosen text', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(-1)).toBe('-1'); // numbers we produce are left alone
    expect(csvCell(null)).toBe('');
  });

  it('writes one row per session with duration and participants', () => {
    const t = (s: string) => new Date(`2026-11-21T10:${s}Z`);
    const csv = sessionsCsv([
      {
        id: 's1',
        kind: 'P2P',
        title: 'Ann → Bob',
        startedAt: t('00:00'),
        answeredAt: t('00:05'),
        endedAt: t('02:05'),
        durationMs: 120_000,
        endReason: 'hangup',
        participants: [
          { name: 'Ann', role: 'caller', joinedAt: t('00:00'), leftAt: t('02:05'), leaveReason: 'hangup' },
          { name: 'Bob', role: 'callee', joinedAt: t('00:05'), leftAt: t('02:05'), leaveReason: 'hangup' },
        ],
      },
    ]);
    const [header, row, end] = csv.split('\r\n');
    expect(header).toBe(
      'session_id,kind,title,started_at,answered_at,ended_at,duration_s,end_reason,participant_count,participants',
    );
    expect(row).toMatch(
      /^s1,P2P,Ann → Bob,2026-11-21T10:00:00.000Z,2026-11-21T10:00:05.000Z,2026-11-21T10:02:05.000Z,120,hangup,2,/,
    );
    expect(row).toContain('Ann (caller, 2026-11-21T10:00:00.000Z–2026-11-21T10:02:05.000Z, hangup); Bob (callee');
    expect(end).toBe('');
  });
});
