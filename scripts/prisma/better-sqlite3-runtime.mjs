// better-sqlite3 caveats that the stand-in has to handle before any SQLite work.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

// 1) GC crash. better-sqlite3 12.x wraps its Database/Statement objects in node::ObjectWrap. Built
//    against Node 24.21's headers, ObjectWrap's destructor calls RemoveEnvironmentCleanupHook(),
//    which aborts the process ("Assertion failed: (env) != nullptr") when V8 garbage-collects such
//    an object while no Node environment is current — e.g. during a GC triggered inside a
//    microtask. The engine drives the adapter with many short-lived prepared statements and
//    awaits, so this happened within a single `migrate dev`. This process is short-lived, so we
//    simply never let those objects become garbage: every Database and Statement is kept alive
//    until exit (a few hundred small objects at most).
const keptAlive = []
export const keepAlive = (object) => {
  keptAlive.push(object)
  return object
}

let Database // undefined: not probed yet; null: cannot load under this Node

/**
 * 2) ABI. better-sqlite3 is a native addon built for the project's Node (24). Returns its
 * Database class, or null when it cannot load under the running Node (e.g. the system Node 20);
 * schema-engine.mjs then re-runs itself under the project's Node.
 */
export function loadBetterSqlite3() {
  if (Database !== undefined) return Database
  const candidate = require('better-sqlite3') // the JS part; the addon loads on first `new`
  try {
    keepAlive(new candidate(':memory:'))
  } catch (error) {
    if (error?.code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION/.test(error?.message)) return (Database = null)
    throw error
  }
  const prepare = candidate.prototype.prepare
  candidate.prototype.prepare = function (...args) {
    return keepAlive(prepare.apply(this, args))
  }
  return (Database = candidate)
}
