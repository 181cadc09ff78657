// `schema-engine --datasource '{"url":…}' cli <command>`: the one-shot commands the Prisma CLI
// runs before starting the JSON-RPC engine (e.g. `migrate deploy` checks that the database exists
// and creates it when it does not). The wasm engine has no equivalent, so we implement them.
// Exit status 0 = success; on failure we log an ERROR line with the Prisma error code.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { isPostgresUrl, isSqliteUrl, postgresConfig, postgresDatabaseName, sqlitePath } from './datasource.mjs'
import { log } from './engine-log.mjs'

const require = createRequire(import.meta.url)

export async function runDatabaseCommand(command, url) {
  // The CLI ignores the first stderr line; keep the interesting one second.
  log('INFO', `Starting schema engine stand-in CLI: ${command}`)
  try {
    if (isSqliteUrl(url)) return sqliteCommand(command, sqlitePath(url))
    if (isPostgresUrl(url)) return await postgresCommand(command, url)
    return fail(null, `The schema engine stand-in does not support this URL scheme: ${String(url).split(':')[0]}:`)
  } catch (error) {
    return fail(null, error?.message ?? String(error))
  }
}

function sqliteCommand(command, file) {
  switch (command) {
    case 'can-connect-to-database':
      if (!fs.existsSync(file)) return fail('P1003', `Database \`${path.basename(file)}\` does not exist at \`${file}\``)
      return 0
    case 'create-database':
      // A zero-byte file is a valid, empty SQLite database: no need to load better-sqlite3 here.
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.closeSync(fs.openSync(file, 'a'))
      return 0
    case 'drop-database':
      for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
      return 0
    default:
      return fail(null, `Unknown cli command: ${command}`)
  }
}

async function postgresCommand(command, url) {
  const pg = require('pg')
  const { config } = postgresConfig(url)
  const database = postgresDatabaseName(url)
  if (command === 'can-connect-to-database') {
    const client = new pg.Client(config)
    try {
      await client.connect()
    } catch (error) {
      if (error.code === '3D000') return fail('P1003', `Database \`${database}\` does not exist`)
      return fail('P1001', `Can't reach database server at \`${config.host}:${config.port ?? 5432}\`: ${error.message}`)
    } finally {
      await client.end().catch(() => {})
    }
    return 0
  }
  if (command !== 'create-database' && command !== 'drop-database') return fail(null, `Unknown cli command: ${command}`)
  // CREATE/DROP DATABASE cannot run while connected to that database: use a maintenance database.
  const admin = await connectToMaintenanceDatabase(pg, config)
  try {
    const quoted = `"${database.replace(/"/g, '""')}"`
    await admin.query(command === 'create-database' ? `CREATE DATABASE ${quoted}` : `DROP DATABASE IF EXISTS ${quoted}`)
  } finally {
    await admin.end()
  }
  return 0
}

async function connectToMaintenanceDatabase(pg, config) {
  for (const database of ['postgres', 'template1']) {
    const client = new pg.Client({ ...config, database })
    try {
      await client.connect()
      return client
    } catch (error) {
      await client.end().catch(() => {})
      if (error.code !== '3D000' || database === 'template1') throw error // 3D000: no such database
    }
  }
}

function fail(errorCode, message) {
  log('ERROR', message, errorCode ? { error_code: errorCode } : {})
  return 1
}
