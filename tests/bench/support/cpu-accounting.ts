import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

// Where a benchmark's CPU goes, read from /proc: with client, server and databases on the same
// two cores, requests per second alone cannot say which of them ran out. Linux only; elsewhere
// the accounting is simply absent from the report.

export interface ProcessInfo {
  pid: number;
  comm: string;
}

/** Names a process's group, or null to count it under "other". */
export type Grouping = (p: ProcessInfo) => string | null;

export interface CpuSnapshot {
  at: number;
  /** CPU clock ticks (user + system, all threads) per live process. */
  ticks: Map<number, { group: string; ticks: number }>;
}

export interface CpuShare {
  group: string;
  cpuSeconds: number;
  /** Share of the machine's cores over the window (1 = one whole core). */
  cores: number;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU used so far by every process of the machine, grouped; null where /proc is missing. */
export function snapshotCpu(grouping: Grouping): CpuSnapshot | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const ticks = new Map<number, { group: string; ticks: number }>();
  for (const name of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    // comm is in parentheses and may itself hold spaces or parentheses: fields start after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the comm.
    const used = Number(fields[11]) + Number(fields[12]);
    const pid = Number(name);
    ticks.set(pid, { group: grouping({ pid, comm }) ?? 'other', ticks: used });
  }
  return { at: performance.now(), ticks };
}

/** CPU each group used between two snapshots; processes started meanwhile count from zero. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuShare[] {
  const hz = clockTicks();
  const seconds = (after.at - before.at) / 1000;
  const byGroup = new Map<string, number>();
  for (const [pid, now] of after.ticks) {
    const then = before.ticks.get(pid)?.ticks ?? 0;
    byGroup.set(now.group, (byGroup.get(now.group) ?? 0) + Math.max(0, now.ticks - then));
  }
  return [...byGroup]
    .map(([group, t]) => ({ group, cpuSeconds: t / hz, cores: seconds > 0 ? t / hz / seconds : 0 }))
    .sort((a, b) => b.cpuSeconds - a.cpuSeconds);
}

export const machineCores = () => cpus().length;
