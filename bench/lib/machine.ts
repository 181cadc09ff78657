/**
 * The machine a benchmark ran on, recorded beside every result: absolute numbers mean little without
 * it. These machines are shared, so the runner also notes the load average around each benchmark.
 */
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  kernel: string;
  /** ISO date-time of the run (UTC). */
  date: string;
}

export function describeMachine(now = new Date()): MachineInfo {
  return {
    cores: os.availableParallelism(),
    cpuModel: cpuModel(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    date: now.toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** One line for reports: "2 cores, AMD EPYC, 23.5 GiB RAM, Node v24.21.0, Linux 6.1.0". */
export function machineLine(m: MachineInfo): string {
  return `${m.cores} cores, ${m.cpuModel}, ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.kernel}`;
}

/** The 1-minute load average now: other work on a shared machine shows up here. */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}

function cpuModel(): string {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => /^model name\s*:/.test(l));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // Not Linux: fall through to what Node reports.
  }
  return os.cpus()[0]?.model.trim() || 'unknown CPU';
}
