// The native schema engine logs JSON lines on stderr, and the Prisma CLI depends on that format:
// - `cli <command>` mode: the CLI drops the first stderr line and JSON.parses every other one,
//   looking for `{ level: "ERROR", target: "schema_engine::logger", fields: { error_code, message } }`
//   (that is how P1003 "database does not exist" reaches it);
// - JSON-RPC mode: the CLI keeps each line's `fields.message`, and uses the last ERROR's fields
//   as the reason when the engine exits with a non-zero status.
// So everything we print on stderr must be one JSON object per line.
import fs from 'node:fs'

// SCHEMA_ENGINE_LOG=<file>: also append engine logs plus an RPC trace to that file (debugging aid;
// stderr itself is swallowed by the CLI unless DEBUG is set).
const traceFile = process.env.SCHEMA_ENGINE_LOG

export function log(level, message, extra = {}) {
  const line = JSON.stringify({
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...extra },
    target: 'schema_engine::logger',
  })
  process.stderr.write(line + '\n')
  if (traceFile) fs.appendFileSync(traceFile, line + '\n')
}

/** Free-form debugging output: only to the SCHEMA_ENGINE_LOG file, never to stderr. */
export function trace(...parts) {
  if (!traceFile) return
  const text = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p, bigintSafe))).join(' ')
  fs.appendFileSync(traceFile, `[${process.pid}] ${text}\n`)
}

const bigintSafe = (_key, value) => (typeof value === 'bigint' ? String(value) : value)
