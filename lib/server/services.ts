/**
 * Next.js renders pages inside the same process as server.ts. Pages reach the process's services
 * (one Prisma client, one auth instance) through this registry instead of building their own.
 */
import type { Auth } from './auth';
import type { Db } from './db';

export interface Services {
  auth: Auth;
  db: Db;
}

const KEY = Symbol.for('confab.services');
type WithServices = typeof globalThis & { [KEY]?: Services };

export function setServices(services: Services) {
  (globalThis as WithServices)[KEY] = services;
}

export function services(): Services {
  const found = (globalThis as WithServices)[KEY];
  if (!found) throw new Error('Confab services are not initialised: start the app with server.ts');
  return found;
}
