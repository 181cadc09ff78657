// SQLite (file: URLs) for the wasm schema engine, through @prisma/adapter-better-sqlite3, with
// workarounds for where the wasm engine + adapter differ from the native engine. Each one below
// was reproduced with `prisma migrate dev/deploy/reset` against this stand-in.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'
import { sqlitePath } from './datasource.mjs'
import { trace } from './engine-log.mjs'

// The engine's own DDL for its history table (the native engine creates the same one).
const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`

export async function createSqliteConnector({ url, shadowDatabaseUrl }) {
  const file = sqlitePath(url)
  const factory = new PrismaBetterSqlite3({ url: `file:${file}` }, shadowDatabaseUrl ? { shadowDatabaseUrl } : undefined)

  const mainConnections = [] // the engine's own connections to the main database
  const open = new Set() // every connection not disposed yet, closed on exit (see close())
  const connect = factory.connect.bind(factory)
  const connectToShadowDb = factory.connectToShadowDb.bind(factory)
  factory.connect = async () => {
    const connection = prepareConnection(await connect(), 'main')
    mainConnections.push(connection)
    return connection
  }
  factory.connectToShadowDb = async () => prepareConnection(await connectToShadowDb(), 'shadow')

  // SchemaEngine.new() opens the main connection before any request, so this normally reuses it.
  const mainConnection = async () => mainConnections.at(-1) ?? (await factory.connect())

  function prepareConnection(connection, label) {
    open.add(connection)
    const dispose = connection.dispose.bind(connection)
    connection.dispose = async () => {
      open.delete(connection)
      return dispose()
    }
    allowMultiStatementExecuteRaw(connection)
    const startTransaction = connection.startTransaction.bind(connection)
    connection.startTransaction = async (...args) => allowMultiStatementExecuteRaw(await startTransaction(...args))
    if (process.env.SCHEMA_ENGINE_LOG) traceQueries(connection, label)
    return connection
  }

  /**
   * Workaround 1 — "P1014: The underlying table for model `_prisma_migrations` does not exist".
   * The engine reads `_prisma_migrations` to learn the migration history. Natively, "no such
   * table" means "history not initialised yet"; through the adapter the error arrives as a
   * generic TableDoesNotExist, which the wasm engine reports as P1014 instead, so `migrate dev`
   * and `migrate status` fail on a fresh database. On an *empty* database we create the (empty)
   * table up front, exactly as the engine would on its first migration. A database that already
   * has tables but no history is left alone: that is the native engine's P3005 case (baseline it).
   * (Through the engine's own connection: once it has migrated, it holds an exclusive lock.)
   */
  async function ensureMigrationsTableOnEmptyDatabase() {
    const connection = await mainConnection()
    const tables = await rows(connection, `SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`)
    if (tables.length === 0) await connection.executeScript(MIGRATIONS_TABLE_DDL)
  }

  /**
   * Workaround 3 — `migrate reset` (and the reset `migrate dev` offers on drift) fails with
   * "table … already exists". The native engine resets SQLite by deleting the database file; the
   * wasm engine's reset only DELETEs the rows of every table, so the schema stays and re-applying
   * the migrations collides with it. We drop every table and view ourselves. It has to be on the
   * engine's own connection: the engine puts it in `locking_mode=EXCLUSIVE`, which keeps other
   * connections out. An empty history table is recreated, as after workaround 1: `sqlite_sequence`
   * (left by AUTOINCREMENT) cannot be dropped, and would otherwise make the engine see a non-empty
   * database without history.
   */
  async function reset() {
    const connection = await mainConnection()
    const raw = (sql) => rows(connection, sql)
    const objects = await raw(`SELECT type, name FROM sqlite_master WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table'`)
    const hasSequence = (await raw(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`)).length > 0
    const [[foreignKeys]] = await raw('PRAGMA foreign_keys')
    const quote = (name) => `"${String(name).replace(/"/g, '""')}"`
    await connection.executeScript(
      [
        'PRAGMA foreign_keys = OFF;',
        ...objects.map(([type, name]) => `DROP ${type === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quote(name)};`),
        hasSequence ? 'DELETE FROM sqlite_sequence;' : '',
        `${MIGRATIONS_TABLE_DDL};`,
        `PRAGMA foreign_keys = ${Number(foreignKeys) ? 'ON' : 'OFF'};`,
      ].join('\n'),
    )
    return null
  }

  return {
    adapterFactory: factory,
    methods: { reset },
    /**
     * The engine never disposes its main connection; it relies on the process exiting. Closing it
     * ourselves lets SQLite finish properly: in the exclusive locking mode the engine uses, the
     * rollback journal (`<db>-journal`) otherwise stays next to the database file.
     */
    async close() {
      for (const connection of [...open]) await connection.dispose().catch(() => {})
    },
    async beforeRequest(method) {
      if (method === 'devDiagnostic' || method === 'diagnoseMigrationHistory') await ensureMigrationsTableOnEmptyDatabase()
    },
  }
}

/**
 * Workaround 2 — "Migration `…` failed to apply cleanly to the shadow database … The supplied SQL
 * string contains more than one statement" (or "… contains no statements", for an empty
 * migration). To check the migration history, the engine replays every migration.sql on a shadow
 * database (an in-memory SQLite), passing each whole script to executeRaw(). The adapter runs
 * executeRaw through better-sqlite3's prepare(), which accepts exactly one statement. For such
 * parameterless scripts, fall back to exec(), which runs any number of statements.
 */
function allowMultiStatementExecuteRaw(queryable) {
  const executeRaw = queryable.executeRaw.bind(queryable)
  queryable.executeRaw = async (query) => {
    try {
      return await executeRaw(query)
    } catch (error) {
      if (query.args.length > 0 || !/more than one statement|contains no statements/.test(error?.message)) throw error
      const db = queryable.client
      const totalChanges = () => Number(db.prepare('SELECT total_changes()').pluck().get())
      const before = totalChanges()
      try {
        db.exec(query.sql)
      } catch (scriptError) {
        queryable.onError(scriptError) // rethrows as a DriverAdapterError, like the adapter would
      }
      return totalChanges() - before // executeRaw's contract: the number of affected rows
    }
  }
  return queryable
}

const rows = async (connection, sql) => (await connection.queryRaw({ sql, args: [], argTypes: [] })).rows

function traceQueries(connection, label) {
  for (const method of ['queryRaw', 'executeRaw', 'executeScript']) {
    const original = connection[method].bind(connection)
    connection[method] = async (query) => {
      trace(label, method, (typeof query === 'string' ? query : query.sql).slice(0, 200))
      try {
        return await original(query)
      } catch (error) {
        trace(label, method, 'failed:', error.cause ?? error.message)
        throw error
      }
    }
  }
}
