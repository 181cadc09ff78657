import crypto from 'node:crypto';
import { promisify } from 'node:util';
import pLimit from 'p-limit';

const scryptAsync = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;
/**
 * scrypt runs on libuv's thread pool (4 threads), which sign-in's password hashing uses too. Room
 * passwords get one of them at most, so a flood of room-password guesses cannot queue up every
 * sign-in behind it.
 */
const oneAtATime = pLimit(1);
const scrypt = (pw: string, salt: Buffer, len: number) => oneAtATime(() => scryptAsync(pw, salt, len));

/** Room passwords are stored as "salt:hash" (hex, scrypt, 16-byte salt, 32-byte key). */
export async function hashRoomPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `${salt.toString('hex')}:${hash.toString('hex')}`;
}

export async function checkRoomPassword(password: string, stored: string): Promise<boolean> {
  const [saltHex, hashHex] = stored.split(':');
  if (!saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scrypt(password, Buffer.from(saltHex, 'hex'), expected.length);
  return crypto.timingSafeEqual(actual, expected);
}

/** "Weekly Sync!" → "weekly-sync-k3x9": readable, and unique without asking the database first. */
export function slugFor(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  const suffix = crypto.randomBytes(3).readUIntBE(0, 3).toString(36).padStart(4, '0').slice(-4);
  return base ? `${base}-${suffix}` : `room-${suffix}`;
}
