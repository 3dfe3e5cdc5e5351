/**
 * CPU time and memory of a process and its descendants, read from /proc (Linux). CPU of a process tree is what
 * its live members used plus what their finished children used (cutime/cstime, added when a parent reaps a
 * child), so a Dovecot login process that lived 50 ms still counts.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat times (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

interface StatLine {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in seconds. */
  cpuSeconds: number;
  /** utime + stime only (the process itself). */
  ownCpuSeconds: number;
}

function readStat(pid: number): StatLine | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone since the listing
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it start past the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(fields[i - 3]);
  const own = (n(14) + n(15)) / TICKS_PER_SECOND;
  return { pid, ppid: n(4), ownCpuSeconds: own, cpuSeconds: own + (n(16) + n(17)) / TICKS_PER_SECOND };
}

function allProcesses(): StatLine[] {
  const stats: StatLine[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** CPU seconds of `root` itself and of everything below it (children, their children, and the finished ones). */
export function treeCpuSeconds(root: number): { own: number; descendants: number } {
  const stats = allProcesses();
  const children = new Map<number, StatLine[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const self = stats.find((s) => s.pid === root);
  if (!self) return { own: 0, descendants: 0 };
  let descendants = self.cpuSeconds - self.ownCpuSeconds;
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const s = queue.pop()!;
    descendants += s.cpuSeconds;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return { own: self.ownCpuSeconds, descendants };
}

/** CPU seconds of one process, its reaped children included. */
export function processCpuSeconds(pid: number): number {
  return readStat(pid)?.cpuSeconds ?? 0;
}

/** Resident memory now and its high-water mark (VmHWM), in MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat), for the share of both cores the run had. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3]! + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
