/**
 * Runs once before the integration tests: applies the checked-in migrations to a template SQLite
 * database. Each test server starts from a copy of it, so every test file gets a fresh database
 * without paying for a migration.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDeploy } from '../../scripts/prisma.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-template-'));
  const file = path.join(dir, 'template.db');
  await migrateDeploy(`file:${file}`);
  project.provide('templateDb', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
