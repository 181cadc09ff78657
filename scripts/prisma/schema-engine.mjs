#!/usr/bin/env node
// Offline stand-in for Prisma's native `schema-engine` binary.
//
// Why: the Prisma CLI downloads that binary (from binaries.prisma.sh) for `generate` and for every
// `migrate`/`db` command, and that host is unreachable here. The same engine is published on npm
// as WebAssembly (@prisma/schema-engine-wasm); it does its database I/O through a JS driver
// adapter (the ones the app uses at runtime). This script gives it the native binary's interface,
// so the unmodified Prisma CLI can drive it:
//
//   PRISMA_SCHEMA_ENGINE_BINARY=scripts/prisma/schema-engine.mjs prisma migrate deploy
//
// The CLI starts the binary in two ways (see node_modules/prisma/build/cli.js):
//   schema-engine --datasource '{"url":…}' cli <command>      one-shot, see database-commands.mjs
//   schema-engine --datamodels <schema.prisma>… --datasource '{"url":…,"shadowDatabaseUrl":…}'
//                                                             JSON-RPC on stdio, see rpc-server.mjs
// Supported databases: SQLite (`file:` URLs, via better-sqlite3) and PostgreSQL (via pg).
// The wasm engine has a few gaps compared with the native one; sqlite-connector.mjs and
// postgres-connector.mjs explain each workaround.
//
// Debugging: SCHEMA_ENGINE_LOG=/tmp/engine.log appends the engine's logs and an RPC trace there.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { isPostgresUrl, isSqliteUrl } from './datasource.mjs'
import { log } from './engine-log.mjs'

const require = createRequire(import.meta.url)
const here = path.dirname(fileURLToPath(import.meta.url))

function parseArgs(argv) {
  const args = { datamodelPaths: [], datasource: null, cliCommand: null, version: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--datamodels') args.datamodelPaths.push(argv[++i])
    else if (arg === '--datasource') args.datasource = JSON.parse(argv[++i])
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++ // not used by the wasm engine
    else if (arg === '--version' || arg === '-V') args.version = true
    else if (arg === 'cli') args.cliCommand = argv[++i]
  }
  return args
}

/**
 * SQLite goes through better-sqlite3, a native addon whose package declares the Node versions it
 * supports (13.x: >=22; under Node 20 loading it crashes the process, so we must not even try).
 * The CLI starts us through `#!/usr/bin/env node`, i.e. whichever `node` is first on PATH, which
 * may be the system Node 20 (e.g. `node_modules/.bin/prisma` run from a plain shell). Then we run
 * this same script again under the project's Node 24, with stdio passed straight through.
 */
function betterSqlite3SupportsThisNode() {
  const packageJson = path.join(path.dirname(require.resolve('better-sqlite3')), '..', 'package.json')
  const minimumMajor = /(\d+)/.exec(JSON.parse(fs.readFileSync(packageJson, 'utf8')).engines?.node ?? '')?.[1]
  return !minimumMajor || Number(process.versions.node.split('.')[0]) >= Number(minimumMajor)
}

function reexecUnderProjectNode() {
  const projectNode = path.resolve(here, '../../node_modules/.bin/node')
  if (!fs.existsSync(projectNode) || fs.realpathSync(projectNode) === fs.realpathSync(process.execPath)) {
    log('ERROR', `better-sqlite3 does not support Node ${process.version}, and the project's Node was not found at ${projectNode}`)
    process.exit(1)
  }
  const child = spawn(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)))
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  if (args.version) {
    const { wasmEngineVersion } = await import('./wasm-engine.mjs')
    console.log(`schema-engine-cli ${wasmEngineVersion()} (wasm stand-in)`)
    return
  }
  const url = args.datasource?.url ?? process.env.DATABASE_URL
  if (args.cliCommand) {
    const { runDatabaseCommand } = await import('./database-commands.mjs')
    process.exitCode = await runDatabaseCommand(args.cliCommand, url)
    return
  }

  let connector
  const connectorOptions = { url, shadowDatabaseUrl: args.datasource?.shadowDatabaseUrl }
  if (isSqliteUrl(url)) {
    if (!betterSqlite3SupportsThisNode()) return reexecUnderProjectNode()
    const { createSqliteConnector } = await import('./sqlite-connector.mjs')
    connector = await createSqliteConnector(connectorOptions)
  } else if (isPostgresUrl(url)) {
    const { createPostgresConnector } = await import('./postgres-connector.mjs')
    connector = await createPostgresConnector(connectorOptions)
  } else {
    log('ERROR', `The schema engine stand-in supports file: (SQLite) and postgres(ql):// URLs, got ${url ? `${String(url).split(':')[0]}:` : 'no URL'}`)
    process.exit(1)
  }
  const { serveJsonRpc } = await import('./rpc-server.mjs')
  await serveJsonRpc({ datamodelPaths: args.datamodelPaths, connector })
}

main().catch((error) => {
  log('ERROR', error?.stack ?? String(error))
  process.exit(1)
})
