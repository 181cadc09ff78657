/**
 * zod for every module of the protocol, configured once before any schema is built. In browsers
 * it runs without its JIT: zod probes `new Function` when it builds its first object schema, and
 * our Content-Security-Policy (no 'unsafe-eval') reports that probe as a violation even though
 * zod catches it. Servers keep the faster JIT.
 */
import { z } from 'zod';

if (typeof window !== 'undefined') z.config({ jitless: true });

export { z };
