/** CSV (RFC 4180) of past sessions, for the history page's export. */
import type { HistorySession } from './history';

const HEADER = [
  'session_id',
  'kind',
  'title',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_s',
  'end_reason',
  'participant_count',
  'participants',
];

/**
 * Quotes what needs quoting, and defuses spreadsheet formulas: display names are chosen by users,
 * and a cell starting with = + - @ (or a tab / CR) would run as a formula in Excel or LibreOffice.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function sessionsCsv(sessions: HistorySession[]): string {
  const lines = [HEADER.join(',')];
  for (const s of sessions) {
    const participants = s.participants
      .map(
        (p) =>
          `${p.name} (${p.role}${p.joinedAt ? `, ${iso(p.joinedAt)}–${iso(p.leftAt) ?? ''}` : ', never joined'}${p.leaveReason ? `, ${p.leaveReason}` : ''})`,
      )
      .join('; ');
    const row = [
      s.id,
      s.kind,
      s.title,
      iso(s.startedAt),
      iso(s.answeredAt),
      iso(s.endedAt),
      s.durationMs === null ? null : Math.round(s.durationMs / 1000),
      s.endReason,
      s.participants.filter((p) => p.joinedAt).length,
      participants,
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
