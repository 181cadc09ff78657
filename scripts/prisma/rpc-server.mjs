// JSON-RPC over stdio, as the Prisma CLI speaks it to the native schema engine: one JSON request
// per line on stdin, one JSON response per line on stdout. Requests are answered strictly in
// order (the engine is not re-entrant, and the CLI waits for each answer anyway).
import fs from 'node:fs'
import readline from 'node:readline'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import { log, trace } from './engine-log.mjs'
import { lastPanicMessage, loadSchemaEngine } from './wasm-engine.mjs'

/**
 * @param {object} options
 * @param {string[]} options.datamodelPaths  the --datamodels files (the Prisma schema)
 * @param {object} options.connector  from sqlite-connector.mjs / postgres-connector.mjs:
 *   { adapterFactory, beforeRequest?(method), methods?: { [rpcMethod]: (params, engine) => result }, close?() }
 */
export async function serveJsonRpc({ datamodelPaths, connector }) {
  const SchemaEngine = await loadSchemaEngine()
  // The binding records driver errors in a registry and hands the engine "External error id#N"
  // references; we resolve them back into readable messages below.
  const adapter = bindMigrationAwareSqlAdapterFactory(connector.adapterFactory)
  const datamodels = datamodelPaths.map((file) => [file, fs.readFileSync(file, 'utf8')])
  const engine = await SchemaEngine.new(
    { datamodels: datamodels.length ? datamodels : undefined },
    (line) => {
      process.stderr.write(String(line) + '\n') // the engine's logs are already JSON lines
      trace(String(line))
    },
    adapter,
  )

  const send = (message) => process.stdout.write(JSON.stringify(message) + '\n')
  let nextPrintId = 1_000_000_000
  let migrationsAppliedSinceDiagnostic = false

  /**
   * Engine quirk — "SQLite/PostgreSQL shadow DB must be provided through an external factory".
   * `migrate dev` calls devDiagnostic → applyMigrations → evaluateDataLoss → createMigration. In
   * the wasm engine only devDiagnostic/diagnoseMigrationHistory/diff get the adapter factory (and
   * so a shadow database); evaluateDataLoss and createMigration read the schema of the migration
   * history from a cache that devDiagnostic fills, keyed by the list of *applied* migrations. If
   * applyMigrations just applied pending migrations (a fresh database, or `--create-only` followed
   * by `migrate dev`), that list changed, the cache misses, and the two calls fail. Re-running the
   * (read-only) devDiagnostic once everything is applied refills the cache for the current list.
   */
  async function refreshMigrationSchemaCache(params) {
    if (!migrationsAppliedSinceDiagnostic || !params?.migrationsList) return
    migrationsAppliedSinceDiagnostic = false
    await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters ?? { externalTables: [], externalEnums: [] } })
  }

  async function call(method, params) {
    await connector.beforeRequest?.(method, params)
    const override = connector.methods?.[method]
    if (override) return override(params, engine)
    switch (method) {
      case 'applyMigrations': {
        const result = await engine.applyMigrations(params)
        if (result.appliedMigrationNames.length > 0) migrationsAppliedSinceDiagnostic = true
        return result
      }
      case 'evaluateDataLoss':
      case 'createMigration':
        await refreshMigrationSchemaCache(params)
        return engine[method](params)
      case 'getDatabaseVersion':
        return engine.version(params ?? null)
      case 'diff': {
        // The native engine prints the diff itself, through a `print` request to the CLI (that
        // is how it reaches stdout); the wasm engine returns it instead.
        const { stdout, exitCode } = await engine.diff(params)
        if (stdout) send({ jsonrpc: '2.0', id: nextPrintId++, method: 'print', params: { content: stdout.replace(/\n$/, '') } })
        return { exitCode }
      }
      default:
        if (typeof engine[method] !== 'function' || method === 'free') {
          throw new Error(`The schema engine stand-in (wasm) does not support the \`${method}\` method.`)
        }
        return engine[method](params)
    }
  }

  function errorResponse(id, error) {
    const isPanic = error instanceof WebAssembly.RuntimeError
    let message = (isPanic && lastPanicMessage()) || (error?.message ?? String(error))
    message = message.replace(/External error id#(\d+)/g, (text, errorId) => {
      const record = adapter.errorRegistry.consumeError(Number(errorId))
      return record ? `Driver adapter error: ${record.error?.message ?? JSON.stringify(record.error)}` : text
    })
    if (/`_prisma_migrations` does not exist/.test(message)) {
      // See sqlite-connector.mjs, workaround 1: only a database with tables but no history gets here.
      message += '\nThe database has tables but no Prisma migration history (native Prisma: "not managed by Prisma Migrate"). ' +
        'Baseline it (https://pris.ly/d/migrate-baseline) or use an empty database.'
    }
    trace('error', { id, message, code: error?.code, meta: error?.meta })
    return {
      jsonrpc: '2.0',
      id,
      // The CLI reads data.error_code (a Prisma Pxxxx code) and data.message; is_panic makes it
      // report a crash instead of a user-facing error.
      error: {
        code: 4466,
        message: isPanic ? message : 'An error happened. Check the data field for details.',
        data: {
          is_panic: isPanic,
          message,
          error_code: error?.code ?? undefined,
          meta: error?.meta ?? null,
        },
      },
    }
  }

  let queue = Promise.resolve()
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  input.on('line', (line) => {
    if (!line.trim()) return
    let request
    try {
      request = JSON.parse(line)
    } catch {
      log('WARN', `Ignoring a non-JSON line on stdin`)
      return
    }
    if (request.method === undefined) return // the CLI's answer to one of our `print` requests
    queue = queue.then(async () => {
      trace('->', request)
      try {
        const result = (await call(request.method, request.params)) ?? null
        trace('<-', request.id, result)
        send({ jsonrpc: '2.0', id: request.id, result })
      } catch (error) {
        send(errorResponse(request.id, error))
        // After a panic the wasm instance is unusable; exit like the native engine does (101).
        if (error instanceof WebAssembly.RuntimeError) process.stdout.write('', () => process.exit(101))
      }
    })
  })
  // When the CLI is done, it closes our stdin and, on Linux, sends SIGTERM right away (a 0 ms
  // kill timer in its stop()). Either way: close the database connections, then exit. (On stdin
  // EOF the queued work is finished first; SIGTERM comes after the last answer anyway.)
  let exiting = false
  const shutdown = async () => {
    if (exiting) return
    exiting = true
    try {
      await connector.close?.()
    } catch (error) {
      log('WARN', `closing the database connections failed: ${error?.message ?? error}`)
    }
    process.exit(0)
  }
  input.on('close', () => queue.then(shutdown))
  process.once('SIGTERM', shutdown)
}
