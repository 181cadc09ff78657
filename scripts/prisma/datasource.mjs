// Datasource URL helpers shared by the schema-engine stand-in's modules.
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export const isSqliteUrl = (url) => /^file:/.test(url ?? '')
export const isPostgresUrl = (url) => /^postgres(ql)?:\/\//.test(url ?? '')

/**
 * Filesystem path of a SQLite `file:` URL. Relative paths resolve against the process cwd: the
 * Prisma CLI starts the engine in the directory of prisma.config.ts (the repo root), and the
 * native engine resolves them the same way. Query parameters (`?connection_limit=1`…) are
 * Prisma-level options, not part of the file name.
 */
export function sqlitePath(url) {
  const p = decodeURIComponent(url.replace(/^file:(\/\/(?=\/))?/, '').replace(/\?.*$/, ''))
  return path.resolve(p)
}

/**
 * node-postgres settings for a postgres URL, as discrete fields rather than a
 * `connectionString`: adapter-pg and our shadow-database code derive other databases'
 * settings by spreading `{ ...config, database }`, which a connectionString would override.
 */
export function postgresConfig(url) {
  const { parse } = require('pg-connection-string')
  const parsed = parse(url)
  const config = {}
  for (const [key, value] of Object.entries(parsed)) {
    // `schema` is Prisma's own parameter (the engine's namespace), not a libpq one.
    if (value !== undefined && value !== null && key !== 'schema') config[key] = value
  }
  if (config.port) config.port = Number(config.port)
  return { config, schema: new URL(url).searchParams.get('schema') ?? undefined }
}

export const postgresDatabaseName = (url) => decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres'
