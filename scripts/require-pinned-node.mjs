/**
 * Imported first by every entry point (server.ts, sfu/main.ts, bench/run.ts, scripts/run-tests.mjs):
 * stops at once, with a message that says what to do, when the process runs on another Node major
 * than the pinned one (before any native addon is loaded and crashes it).
 */
import path from 'node:path';
import { assertPinnedRuntime, repoRoot } from './runtime.mjs';

assertPinnedRuntime(path.relative(repoRoot, process.argv[1] ?? '') || 'confab');
