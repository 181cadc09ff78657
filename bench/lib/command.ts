import type { BenchMode } from './types';

/** The command that reproduces one benchmark in one mode, for its report section. */
export function benchCommand(id: string, mode: BenchMode): string {
  const flag = mode === 'full' ? ' --full' : mode === 'smoke' ? ' --smoke' : '';
  return `npm run bench --${flag} --only ${id}`;
}
