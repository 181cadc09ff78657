/**
 * The machine a benchmark ran on, recorded beside every result: absolute numbers mean little without
 * it. The load average is taken at the start, because these machines are shared.
 */
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  kernel: string;
  /** 1-minute load average when the run started. */
  load1: number;
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
    load1: Math.round(os.loadavg()[0]! * 100) / 100,
    date: now.toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** One line for reports: "2 cores, AMD EPYC, 23.5 GiB RAM, Node v24.21.0, Linux 6.1.0 (load 0.68)". */
export function machineLine(m: MachineInfo): string {
  return `${m.cores} cores, ${m.cpuModel}, ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.kernel} (load average ${m.load1} at start)`;
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
