// A throwaway PostgreSQL server for tests and for `scripts/prisma.mjs migrate-dev`: a fresh
// cluster (initdb) in a temp directory, listening on 127.0.0.1 on a free port, trust auth.
// Uses Debian's server binaries (apt package `postgresql`, /usr/lib/postgresql/<major>/bin).
// Plain ESM, Node 20+; types in postgres-server.d.mts.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** The server binaries: $CONFAB_PG_BIN, else PostgreSQL 15, else the newest installed major. */
export function findPostgresBin() {
  if (process.env.CONFAB_PG_BIN) return process.env.CONFAB_PG_BIN
  const root = '/usr/lib/postgresql'
  const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => b - a) : []
  const major = majors.includes('15') ? '15' : majors[0]
  const bin = major && path.join(root, major, 'bin')
  if (!bin || !fs.existsSync(path.join(bin, 'initdb'))) {
    throw new Error(`PostgreSQL server binaries not found under ${root} (apt-get install postgresql, or set CONFAB_PG_BIN)`)
  }
  return bin
}

/**
 * initdb and postgres refuse to run as root. When we are root, run them as the `postgres` system
 * user (created by the Debian package) by passing uid/gid to spawn(), and give that user the
 * temp directory.
 */
function serverUser() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {}
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'))
  if (!line) throw new Error('Running as root, but there is no `postgres` user to run PostgreSQL as')
  const [, , uid, gid, , home] = line.split(':')
  return { uid: Number(uid), gid: Number(gid), home }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const tail = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n') : '')

/**
 * Starts the server; resolves once it accepts connections and `database` exists.
 * Always call stop() (e.g. in afterAll/finally). As a last resort, a process 'exit' hook kills
 * the server and removes the directory if stop() was never called.
 *
 * @param {{ database?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ url: string, port: number, dataDir: string, stop: () => Promise<void> }>}
 */
export async function startPostgres({ database = 'confab', timeoutMs = 60_000 } = {}) {
  const bin = findPostgresBin()
  const user = serverUser()
  const runAs = user.uid === undefined ? {} : { uid: user.uid, gid: user.gid }
  const env = { ...process.env, ...(user.home ? { HOME: user.home } : {}), LC_ALL: 'C', PGTZ: 'UTC' }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-pg-'))
  const dataDir = path.join(dir, 'data')
  const logFile = path.join(dir, 'postgres.log')
  let child = null
  let stopped = false

  // Synchronous best-effort cleanup, for the 'exit' hook and for failed starts.
  const killAndRemoveSync = () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGQUIT') // immediate shutdown: nothing here is worth keeping
      } catch {}
      const until = Date.now() + 5_000
      while (Date.now() < until && isAlive(child.pid)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', killAndRemoveSync)

  try {
    if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid)
    const init = spawnSync(
      path.join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
      { ...runAs, env, encoding: 'utf8' },
    )
    if (init.error) throw new Error(`cannot run ${path.join(bin, 'initdb')}: ${init.error.message}`)
    if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.signal}):\n${init.stderr || init.stdout}`)

    const port = await freePort()
    const log = fs.openSync(logFile, 'a')
    if (user.uid !== undefined) fs.fchownSync(log, user.uid, user.gid)
    child = spawn(
      path.join(bin, 'postgres'),
      [
        '-D', dataDir,
        '-p', String(port),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', `unix_socket_directories=${dir}`, // not /var/run/postgresql: may not exist or be writable
        // Durability is pointless for a throwaway cluster; these make DDL-heavy tests much faster.
        '-c', 'fsync=off',
        '-c', 'synchronous_commit=off',
        '-c', 'full_page_writes=off',
      ],
      { ...runAs, env, stdio: ['ignore', log, log] },
    )
    fs.closeSync(log)
    child.unref() // a forgotten stop() must not keep the caller's process alive (the exit hook cleans up)

    const url = `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`
    await waitUntilReady({ port, child, logFile, timeoutMs })
    if (database !== 'postgres') await createDatabase(port, database)

    const stop = async () => {
      if (stopped) return
      stopped = true
      process.removeListener('exit', killAndRemoveSync)
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGINT') // "fast" shutdown: disconnects clients, no checkpoint wait
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        await exited
        clearTimeout(killTimer)
      }
      fs.rmSync(dir, { recursive: true, force: true })
    }
    return { url, port, dataDir, stop }
  } catch (error) {
    stopped = true
    process.removeListener('exit', killAndRemoveSync)
    const log = tail(logFile)
    killAndRemoveSync()
    if (log) error.message += `\n--- postgres log ---\n${log}`
    throw error
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitUntilReady({ port, child, logFile, timeoutMs }) {
  const { Client } = require('pg')
  const deadline = Date.now() + timeoutMs
  let lastError
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`postgres exited during startup (${child.exitCode ?? child.signalCode})`)
    }
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' })
    try {
      await client.connect()
      await client.query('SELECT 1')
      return
    } catch (error) {
      lastError = error // typically ECONNREFUSED, or 57P03 "the database system is starting up"
    } finally {
      await client.end().catch(() => {})
    }
    await sleep(100)
  }
  throw new Error(`postgres did not accept connections within ${timeoutMs} ms: ${lastError?.message}\n${tail(logFile)}`)
}

async function createDatabase(port, database) {
  const { Client } = require('pg')
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`)
  } finally {
    await client.end()
  }
}
