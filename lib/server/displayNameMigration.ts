/**
 * Brings stored display names up to the current rules (displayName.ts) at start-up: each name is
 * cleaned of characters now refused, and its key and skeleton recomputed. Where two accounts now
 * clash, the older account keeps its name and the newer one gets a numbered variant ("Mallory 2"),
 * so no sign-in is lost and no two names look alike. Idempotent: a second run finds nothing to
 * change and writes nothing.
 */
import type { Db } from './db';
import { displayNameKey, DISPLAY_NAME_MAX, displayNameSkeleton, sanitizeDisplayName } from './displayName';
import type { Logger } from './logger';

function variant(base: string, n: number): string {
  const suffix = ` ${n}`;
  return [...base].slice(0, DISPLAY_NAME_MAX - suffix.length).join('').trim() + suffix;
}

export async function migrateDisplayNames(db: Db, log: Logger): Promise<number> {
  const users = await db.user.findMany({
    select: { id: true, name: true, nameKey: true, nameSkeleton: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const taken = new Set<string>();
  const clashes = (name: string) => taken.has(`k:${displayNameKey(name)}`) || taken.has(`s:${displayNameSkeleton(name)}`);
  const changes: { id: string; from: string; name: string; nameKey: string; nameSkeleton: string }[] = [];
  for (const user of users) {
    const base = sanitizeDisplayName(user.name);
    let name = base;
    for (let n = 2; clashes(name); n++) name = variant(base, n);
    const nameKey = displayNameKey(name);
    const nameSkeleton = displayNameSkeleton(name);
    taken.add(`k:${nameKey}`).add(`s:${nameSkeleton}`);
    if (name !== user.name || nameKey !== user.nameKey || nameSkeleton !== user.nameSkeleton) {
      changes.push({ id: user.id, from: user.name, name, nameKey, nameSkeleton });
    }
  }
  if (changes.length === 0) return 0;
  // Both columns are unique: park every changed row on values no name can have first, so that two
  // rows trading keys never collide half-way.
  await db.$transaction([
    ...changes.map((c) => db.user.update({ where: { id: c.id }, data: { nameKey: `\u0000${c.id}`, nameSkeleton: null } })),
    ...changes.map((c) => db.user.update({ where: { id: c.id }, data: { name: c.name, nameKey: c.nameKey, nameSkeleton: c.nameSkeleton } })),
  ]);
  for (const c of changes) {
    if (c.name !== c.from) log.warn({ userId: c.id, from: c.from, to: c.name }, 'display name changed to meet the naming rules');
  }
  log.info({ accounts: changes.length }, 'display names re-keyed');
  return changes.length;
}
