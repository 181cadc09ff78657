// Running the Prisma CLI in this repo, and the file layout it works on (used by scripts/prisma.mjs).
// Plain ESM, Node 20+.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const bin = path.join(root, 'node_modules', '.bin')
const fromRoot = (...parts) => path.join(root, ...parts)

export const paths = {
  config: fromRoot('prisma.config.ts'),
  schema: fromRoot('prisma', 'schema.prisma'), // SQLite: the source of truth
  migrations: fromRoot('prisma', 'migrations'),
  postgresSchema: fromRoot('prisma', 'postgres', 'schema.prisma'), // derived, see postgresSchemaText()
  postgresMigrations: fromRoot('prisma', 'postgres', 'migrations'),
  sqliteClient: fromRoot('generated', 'prisma'),
  postgresClient: fromRoot('generated', 'prisma-pg'),
  generateStamp: fromRoot('generated', '.prisma-inputs.sha256'),
  schemaEngine: fromRoot('scripts', 'prisma', 'schema-engine.mjs'),
}

export const isPostgresUrl = (url) => /^postgres(ql)?:\/\//.test(url)
export const defaultDatabaseUrl = () => `file:${fromRoot('data', 'confab.db')}`

/**
 * A SQLite URL with an absolute path (a relative one is taken relative to the current directory,
 * as the app does), or the PostgreSQL URL unchanged.
 */
export function normalizeDatabaseUrl(databaseUrl) {
  if (isPostgresUrl(databaseUrl)) return databaseUrl
  const match = /^file:(?:\/\/(?=\/))?([^?]*)(\?.*)?$/.exec(databaseUrl ?? '')
  if (!match) throw new Error(`Unsupported database URL (expected file:… or postgresql://…): ${databaseUrl}`)
  return `file:${path.resolve(decodeURIComponent(match[1]))}${match[2] ?? ''}`
}

export const sqliteFile = (url) => url.slice('file:'.length).replace(/\?.*$/, '')

/**
 * Runs the Prisma CLI from the repo root (where prisma.config.ts is), on the project's Node:
 * node_modules/.bin/prisma starts with `#!/usr/bin/env node`, so node_modules/.bin goes first on
 * PATH (so does the schema-engine stand-in, same shebang). prisma.config.ts picks the schema and
 * migrations from CONFAB_PRISMA_PROVIDER and the database from DATABASE_URL.
 * Output is captured; it is echoed when `verbose`, and part of the error otherwise.
 * Resolves to the output; rejects with `error.exitCode` and `error.output`.
 */
export function runPrisma(args, { provider = 'sqlite', databaseUrl, verbose = false } = {}) {
  const env = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    PRISMA_SCHEMA_ENGINE_BINARY: paths.schemaEngine,
    CHECKPOINT_DISABLE: '1', // no version/telemetry check (offline anyway)
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  }
  delete env.CONFAB_PRISMA_PROVIDER // unset = SQLite
  if (provider === 'postgresql') env.CONFAB_PRISMA_PROVIDER = 'postgresql'
  if (databaseUrl) env.DATABASE_URL = databaseUrl

  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, 'prisma'), args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const collect = (stream) => (chunk) => {
      output += chunk
      if (verbose) stream.write(chunk)
    }
    child.stdout.on('data', collect(process.stdout))
    child.stderr.on('data', collect(process.stderr))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(output)
      const summary = `prisma ${args.join(' ')} (${provider}) failed (${signal ?? `exit ${code}`})`
      const error = new Error(verbose ? summary : `${summary}:\n${output.trim()}`)
      error.exitCode = code
      error.output = output
      reject(error)
    })
  })
}

/** prisma/postgres/schema.prisma: prisma/schema.prisma with the provider and client output swapped. */
export function postgresSchemaText(source = fs.readFileSync(paths.schema, 'utf8')) {
  const datasource = /(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"sqlite"/
  const output = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"[^"]*"/
  if (!datasource.test(source) || !output.test(source)) {
    throw new Error('prisma/schema.prisma: expected a "sqlite" datasource and a `client` generator with an `output`')
  }
  const clientOutput = path.relative(path.dirname(paths.postgresSchema), paths.postgresClient).split(path.sep).join('/')
  return [
    '// generated — do not edit. Derived from prisma/schema.prisma by `node scripts/prisma.mjs generate`',
    '// (provider "postgresql", client in generated/prisma-pg): edit prisma/schema.prisma instead.',
    '',
    source.replace(datasource, '$1"postgresql"').replace(output, `$1"${clientOutput}"`),
  ].join('\n')
}

/** Writes prisma/postgres/schema.prisma when its content changed; tells whether it did. */
export function writePostgresSchema() {
  const text = postgresSchemaText()
  if (fs.existsSync(paths.postgresSchema) && fs.readFileSync(paths.postgresSchema, 'utf8') === text) return false
  fs.mkdirSync(path.dirname(paths.postgresSchema), { recursive: true })
  fs.writeFileSync(paths.postgresSchema, text)
  return true
}

/** Names of the migration directories (those with a migration.sql), oldest first. */
export function listMigrations(dir) {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
}
