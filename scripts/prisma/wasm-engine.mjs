// Loads @prisma/schema-engine-wasm: the same Rust schema engine as the native binary, compiled to
// WebAssembly, which does its database I/O through a JavaScript driver adapter.
// The package's entry point imports the .wasm file as an ES module ("ESM integration"), which
// Node does not support out of the box, so we instantiate it by hand the way that entry point
// would: the module's only import namespace is its wasm-bindgen glue file.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')

// On a Rust panic, the engine's panic hook reports the message here before the wasm instance
// traps (WebAssembly.RuntimeError "unreachable", which says nothing useful by itself).
let panicMessage = null
globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => (panicMessage = message) }
export const lastPanicMessage = () => panicMessage

export async function loadSchemaEngine() {
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg')
  const bytes = fs.readFileSync(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'))
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './schema_engine_bg.js': glue })
  glue.__wbg_set_wasm(instance.exports)
  instance.exports.__wbindgen_start()
  return glue.SchemaEngine
}

export function wasmEngineVersion() {
  return JSON.parse(fs.readFileSync(path.join(path.dirname(gluePath), 'package.json'), 'utf8')).version
}
