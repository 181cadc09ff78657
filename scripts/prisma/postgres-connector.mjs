// PostgreSQL (postgres:// URLs) for the wasm schema engine, through @prisma/adapter-pg, with
// workarounds for where the wasm engine + adapter differ from the native engine. Each one below
// was reproduced with `prisma migrate dev/deploy/diff` against PostgreSQL 15.
import { createRequire } from 'node:module'
import { PrismaPg } from '@prisma/adapter-pg'
import { postgresConfig } from './datasource.mjs'
import { trace } from './engine-log.mjs'

const require = createRequire(import.meta.url)
const pg = require('pg')

const PG_CHAR_OID = 18 // the internal single-byte "char" type (pg_class.relkind, pg_constraint.contype…)
const PG_TEXT_OID = 25

export async function createPostgresConnector({ url, shadowDatabaseUrl }) {
  // Discrete settings rather than a connectionString: adapter-pg derives the shadow database's
  // pool config as `{ ...config, database }`, which a connectionString would silently override.
  const { config, schema } = postgresConfig(url)
  const options = schema ? { schema } : undefined
  const factory = new PrismaPg(config, options)

  const connect = factory.connect.bind(factory)
  const mainConnections = []
  factory.connect = async () => {
    const connection = prepareConnection(await connect())
    mainConnections.push(connection)
    return connection
  }

  /**
   * Workaround 1 — "database "prisma_migrate_shadow_db_…" is being accessed by other users".
   * adapter-pg's own connectToShadowDb() drops the temporary shadow database *before* closing the
   * pool that is still connected to it. Same idea, right order: create the database, hand the
   * engine a connection to it, and on dispose close that pool first, then drop the database.
   * With an explicit shadowDatabaseUrl (prisma.config.ts), just connect to it.
   */
  factory.connectToShadowDb = async () => {
    if (shadowDatabaseUrl) {
      const shadow = postgresConfig(shadowDatabaseUrl)
      return prepareConnection(await new PrismaPg(shadow.config, shadow.schema ? { schema: shadow.schema } : undefined).connect())
    }
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`
    const quoted = `"${database}"`
    const admin = new pg.Client(config)
    await admin.connect()
    try {
      await admin.query(`CREATE DATABASE ${quoted}`)
      const connection = prepareConnection(await new PrismaPg({ ...config, database }, options).connect())
      const dispose = connection.dispose.bind(connection)
      connection.dispose = async () => {
        try {
          await dispose()
          await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`)
        } finally {
          await admin.end()
        }
      }
      return connection
    } catch (error) {
      await admin.end().catch(() => {})
      throw error
    }
  }

  return {
    adapterFactory: factory,
    // The engine never disposes its main connection; end its pool so the server sees a clean
    // disconnect rather than "unexpected EOF on client connection".
    async close() {
      for (const connection of mainConnections) await connection.dispose().catch(() => {})
    },
  }
}

function prepareConnection(connection) {
  reportCharAsText(connection)
  runScriptsAsOneQuery(connection)
  if (process.env.SCHEMA_ENGINE_LOG) traceQueries(connection)
  return connection
}

/**
 * Workaround 2 — "UnsupportedNativeDataType: char". The engine's catalog queries (describing the
 * database for diff/drift) return columns of PostgreSQL's internal `"char"` type, which
 * adapter-pg refuses to map to a column type. Its values are plain one-character strings in the
 * text protocol, so report such columns as `text`.
 */
function reportCharAsText(queryable) {
  const performIO = queryable.performIO.bind(queryable)
  queryable.performIO = async (query) => {
    const result = await performIO(query)
    for (const field of result?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID
    return result
  }
  const startTransaction = queryable.startTransaction?.bind(queryable)
  if (startTransaction) queryable.startTransaction = async (...args) => reportCharAsText(await startTransaction(...args))
  return queryable
}

/**
 * Workaround 3 — adapter-pg's executeScript() splits a migration script on every `;` and runs
 * the pieces one by one, which breaks statements that contain a `;` (string literals, function
 * bodies, DO blocks) and applies half a script when a later statement fails. The native engine
 * sends the whole script as one simple-protocol query: PostgreSQL then runs it as a single
 * implicit transaction. Do the same.
 */
function runScriptsAsOneQuery(connection) {
  connection.executeScript = async (script) => {
    try {
      await connection.client.query(script)
    } catch (error) {
      connection.onError(error) // rethrows as a DriverAdapterError, like the adapter would
    }
  }
}

function traceQueries(connection) {
  for (const method of ['queryRaw', 'executeRaw', 'executeScript']) {
    const original = connection[method].bind(connection)
    connection[method] = async (query) => {
      trace('pg', method, (typeof query === 'string' ? query : query.sql).slice(0, 200))
      try {
        return await original(query)
      } catch (error) {
        trace('pg', method, 'failed:', error.cause ?? error.message)
        throw error
      }
    }
  }
}
