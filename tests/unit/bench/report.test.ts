import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MachineInfo } from '@/bench/lib/machine';
import { githubSlug, parseSections, renderTable, writeReport } from '@/bench/lib/report';
import type { BenchMode, BenchResult } from '@/bench/lib/types';

const machine: MachineInfo = { cores: 2, cpuModel: 'Test CPU', ramGiB: 4, node: 'v24.0.0', kernel: 'Linux 6', date: '2026-01-01T00:00:00Z' };
const result = (id: string, summary: string): BenchResult => ({
  id,
  title: `Bench ${id}`,
  command: `npm run bench -- --only ${id}`,
  summary,
  goalMet: true,
  tables: [{ columns: ['a', 'b'], rows: [['x|y', 1]] }],
  charts: [{ file: `bench/${id}.svg`, svg: '<svg><title>Chart of &quot;x&quot;</title></svg>' }],
  notes: ['a note'],
});

let root = '';
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
const run = (mode: BenchMode, results: BenchResult[]) =>
  writeReport({ results, machine, loads: Object.fromEntries(results.map((r) => [r.id, [0.5, 1.5]])), mode, order: ['one', 'two'], root });

describe('benchmark report', () => {
  it('rewrites only the sections that ran, keeps the others, and orders them as registered', () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
    run('quick', [result('two', 'first two')]);
    run('quick', [result('one', 'first one')]);
    run('quick', [result('two', 'second two')]);
    const md = fs.readFileSync(path.join(root, 'docs', 'BENCHMARKS.md'), 'utf8');
    const sections = parseSections(md);
    expect([...sections.keys()]).toEqual(['one', 'two']);
    expect(sections.get('one')!.body).toContain('first one');
    expect(sections.get('two')!.body).toContain('second two');
    expect(md).not.toContain('first two');
    expect(md).toContain('[Bench one](#bench-one) | met');
    expect(md).toContain('![Chart of "x"](bench/one.svg)');
    expect(md).toContain('- Load average (1 min): 0.5 before this benchmark, 1.5 after it');
    expect(fs.existsSync(path.join(root, 'docs', 'bench', 'two.svg'))).toBe(true);
  });

  it('never touches docs/ in smoke mode', () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
    run('smoke', [result('one', 'smoke')]);
    expect(fs.existsSync(path.join(root, 'docs'))).toBe(false);
    expect(fs.readFileSync(path.join(root, 'bench', 'out', 'smoke', 'BENCHMARKS.md'), 'utf8')).toContain('smoke');
  });

  it('escapes table cells and right-aligns numeric columns', () => {
    expect(renderTable({ columns: ['a', 'b'], rows: [['x|y', 1]] })).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1 |');
    expect(githubSlug('1:1 call set-up')).toBe('11-call-set-up');
  });
});
