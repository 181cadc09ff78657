#!/usr/bin/env node
// Prisma tasks for setup, tests and developers — all offline:
//
//   node scripts/prisma.mjs generate [--force]   Prisma clients for SQLite and PostgreSQL
//   node scripts/prisma.mjs deploy [url]         apply the checked-in migrations ($DATABASE_URL, else data/confab.db)
//   node scripts/prisma.mjs migrate-dev <name>   create a new migration, for SQLite and PostgreSQL
//
// The same tasks are exported: generate, migrateDeploy, migrateDev, schemaDiff, defaultDatabaseUrl.
//
// prisma/schema.prisma (SQLite) is the source of truth. prisma/postgres/schema.prisma is derived
// from it (provider and client output swapped) so the same models run on PostgreSQL. Each
// provider has its own migration history, prisma/migrations and prisma/postgres/migrations, with
// the same migration names: migrate-dev always creates both.
//
// Plain ESM for Node 20+ (setup may start on the system Node), no dependencies of its own. The
// Prisma CLI always runs on the project's Node 24, with scripts/prisma/schema-engine.mjs as its
// schema engine: the native one would be downloaded from binaries.prisma.sh, unreachable here.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  defaultDatabaseUrl,
  isPostgresUrl,
  listMigrations,
  normalizeDatabaseUrl,
  paths,
  root,
  runPrisma,
  sqliteFile,
  writePostgresSchema,
} from './prisma/prisma-cli.mjs'

export { defaultDatabaseUrl, isPostgresUrl, paths }

const log = (message) => console.log(`[prisma] ${message}`)
const relative = (file) => path.relative(root, file)

// ---- generate -----------------------------------------------------------------------------------

function generateInputsHash() {
  const hash = crypto.createHash('sha256')
  const version = (pkg) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version
  // This script decides how the PostgreSQL schema is derived, so it is an input too.
  for (const file of [paths.schema, paths.config, fileURLToPath(import.meta.url), path.join(root, 'scripts/prisma/prisma-cli.mjs')]) {
    hash.update(`${relative(file)}\0${fs.readFileSync(file)}\0`)
  }
  hash.update(`prisma@${version('prisma')} @prisma/client@${version('@prisma/client')}`)
  return hash.digest('hex')
}

/**
 * Writes prisma/postgres/schema.prisma, then generates both clients: generated/prisma (SQLite) and
 * generated/prisma-pg (PostgreSQL). Skipped when the inputs hash as last time (stored in
 * generated/.prisma-inputs.sha256) and both clients exist. Resolves to whether it generated.
 */
export async function generate({ force = false, verbose = false } = {}) {
  const schemaChanged = writePostgresSchema()
  const hash = generateInputsHash()
  const stamp = fs.existsSync(paths.generateStamp) ? fs.readFileSync(paths.generateStamp, 'utf8').trim() : null
  const clientsExist = [paths.sqliteClient, paths.postgresClient].every((dir) => fs.existsSync(path.join(dir, 'client.ts')))
  if (!force && !schemaChanged && stamp === hash && clientsExist) return false

  log('generating the Prisma clients (SQLite and PostgreSQL)')
  fs.rmSync(paths.generateStamp, { force: true }) // an interrupted run must not look up to date
  await Promise.all([
    runPrisma(['generate'], { verbose }),
    // prisma.config.ts reads DATABASE_URL even here: give it one of the right kind (never used).
    runPrisma(['generate'], { provider: 'postgresql', databaseUrl: 'postgresql://localhost/confab', verbose }),
  ])
  fs.writeFileSync(paths.generateStamp, hash + '\n')
  return true
}

// ---- deploy / diff ------------------------------------------------------------------------------

const providerOf = (url) => (isPostgresUrl(url) ? 'postgresql' : 'sqlite')

/**
 * Applies the checked-in migrations: prisma/migrations to a SQLite `file:` URL (creating the
 * file's directory first), prisma/postgres/migrations to a postgresql:// URL (creating the
 * database if needed). Idempotent: applied migrations are skipped. Resolves to Prisma's output.
 */
export async function migrateDeploy(databaseUrl = process.env.DATABASE_URL ?? defaultDatabaseUrl(), { verbose = false } = {}) {
  const url = normalizeDatabaseUrl(databaseUrl)
  const provider = providerOf(url)
  if (provider === 'sqlite') fs.mkdirSync(path.dirname(sqliteFile(url)), { recursive: true })
  else writePostgresSchema() // prisma.config.ts points the CLI at it
  return runPrisma(['migrate', 'deploy'], { provider, databaseUrl: url, verbose })
}

/**
 * Compares a database with its provider's schema (`prisma migrate diff --from-config-datasource
 * --to-schema … --exit-code`). Resolves to '' when they match, else to the SQL that would bring the
 * database to the schema: after migrateDeploy, anything but '' means the migrations and the schema
 * have drifted apart.
 */
export async function schemaDiff(databaseUrl) {
  const url = normalizeDatabaseUrl(databaseUrl)
  const provider = providerOf(url)
  const schema = provider === 'postgresql' ? paths.postgresSchema : paths.schema
  try {
    await runPrisma(['migrate', 'diff', '--from-config-datasource', '--to-schema', schema, '--script', '--exit-code'], { provider, databaseUrl: url })
    return ''
  } catch (error) {
    if (error.exitCode !== 2) throw error // 2 = "the diff is not empty"
    return error.output.replace(/^Loaded Prisma config.*$/m, '').trim()
  }
}

// ---- migrate dev ----------------------------------------------------------------------------------

/**
 * Creates migration `<timestamp>_<name>` for both providers, from the current prisma/schema.prisma:
 *
 * 1. SQLite: `prisma migrate dev --create-only` against a scratch database in a temp directory
 *    (Prisma applies the existing migrations to it, then writes the new one, unapplied, to
 *    prisma/migrations). Developers' own databases are never touched or reset.
 * 2. PostgreSQL: the same command, against a fresh database on a throwaway PostgreSQL server
 *    (scripts/prisma/postgres-server.mjs: Debian's PostgreSQL 15, temp dir, free port). Creating
 *    the migration needs a real server anyway: Prisma replays the existing PostgreSQL migrations on
 *    a shadow database to know where the history stands. The directory is then renamed to the
 *    SQLite one's name, so both histories keep the same names.
 * 3. Check: both full histories, applied to empty databases, must match their schemas exactly.
 * 4. Regenerate the clients.
 * On failure, the directories (and lock files) created so far are removed: both histories stay in step.
 * Apply the new migration with `node scripts/prisma.mjs deploy` (npm run dev/start do it too).
 */
export async function migrateDev(name) {
  if (!/^[A-Za-z0-9_]+$/.test(name ?? '')) throw new Error('usage: migrate-dev <name>   (letters, digits and _, e.g. add_room_title)')
  writePostgresSchema()
  const sqliteBefore = listMigrations(paths.migrations)
  const postgresBefore = listMigrations(paths.postgresMigrations)
  if (sqliteBefore.join('\n') !== postgresBefore.join('\n')) {
    throw new Error(`prisma/migrations and prisma/postgres/migrations must list the same migrations before a new one is added:\n` +
      `  sqlite:     ${sqliteBefore.join(', ') || '(none)'}\n  postgresql: ${postgresBefore.join(', ') || '(none)'}`)
  }

  const created = [] // directories and lock files to remove if anything fails
  for (const dir of [paths.migrations, paths.postgresMigrations]) {
    const lock = path.join(dir, 'migration_lock.toml')
    if (!fs.existsSync(lock)) created.push(lock)
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-migrate-'))
  const { startPostgres } = await import('./prisma/postgres-server.mjs')
  const postgres = startPostgres({ database: 'confab_dev' }) // starts while SQLite works
  postgres.catch(() => {}) // awaited below; avoid an unhandled rejection meanwhile

  try {
    log(`creating the SQLite migration "${name}"`)
    await runPrisma(['migrate', 'dev', '--create-only', '--name', name], { databaseUrl: `file:${path.join(scratch, 'dev.db')}` })
    const [migration] = listMigrations(paths.migrations).filter((m) => !sqliteBefore.includes(m))
    if (!migration) throw new Error('prisma migrate dev did not create a SQLite migration')
    created.push(path.join(paths.migrations, migration))

    log('creating the PostgreSQL migration (throwaway PostgreSQL server)')
    const server = await postgres
    await runPrisma(['migrate', 'dev', '--create-only', '--name', name], { provider: 'postgresql', databaseUrl: server.url })
    const [postgresMigration] = listMigrations(paths.postgresMigrations).filter((m) => !postgresBefore.includes(m))
    if (!postgresMigration) throw new Error('prisma migrate dev did not create a PostgreSQL migration')
    created.push(path.join(paths.postgresMigrations, postgresMigration))
    if (postgresMigration !== migration) {
      fs.renameSync(path.join(paths.postgresMigrations, postgresMigration), path.join(paths.postgresMigrations, migration))
      created[created.length - 1] = path.join(paths.postgresMigrations, migration)
    }

    log('checking both histories against the schema')
    const checks = [`file:${path.join(scratch, 'check.db')}`, server.url.replace(/[^/]+$/, 'confab_check')]
    for (const url of checks) {
      await migrateDeploy(url)
      const diff = await schemaDiff(url)
      if (diff) throw new Error(`the ${providerOf(url)} migrations do not produce the schema; remaining difference:\n${diff}`)
    }

    const sql = fs.readFileSync(path.join(paths.migrations, migration, 'migration.sql'), 'utf8')
    log(`created ${relative(path.join(paths.migrations, migration))}/ and ${relative(path.join(paths.postgresMigrations, migration))}/`)
    if (/^-- This is an empty migration\.\s*$/.test(sql)) log('(empty: the schema had no changes; add SQL by hand to both if that was the point)')
    log('review them, then apply with `node scripts/prisma.mjs deploy` (npm run dev does it too)')
  } catch (error) {
    for (const file of created.reverse()) fs.rmSync(file, { recursive: true, force: true })
    throw error
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
    await (await postgres.catch(() => null))?.stop()
  }
  await generate()
}

// ---- CLI ------------------------------------------------------------------------------------------

async function cli([command, ...args]) {
  switch (command) {
    case 'generate':
      if (!(await generate({ force: args.includes('--force'), verbose: true }))) log('clients are up to date')
      return
    case 'deploy':
      await migrateDeploy(args[0] ?? process.env.DATABASE_URL ?? defaultDatabaseUrl(), { verbose: true })
      return
    case 'migrate-dev':
      await migrateDev(args[0])
      return
    default:
      console.error('usage: node scripts/prisma.mjs generate [--force] | deploy [database-url] | migrate-dev <name>')
      process.exitCode = 2
  }
}

const invokedDirectly = process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))
if (invokedDirectly) {
  cli(process.argv.slice(2)).catch((error) => {
    console.error(`[prisma] ${error.message}`)
    process.exitCode = 1
  })
}
