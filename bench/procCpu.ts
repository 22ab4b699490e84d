/**
 * CPU time of processes from /proc (Linux), for the relay bench: what each PostgreSQL process
 * (backends, WAL writer, the rest) costs per event next to the relays and the bench's own client.
 * Elsewhere (no /proc) every figure is null and the bench says so.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux the bench runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

/** utime + stime of one process in seconds, or null when it is gone (or there is no /proc). */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export type PgProcessKind = 'backend' | 'walwriter' | 'other';

/** Every child of the postmaster with its kind (from the title PostgreSQL gives it) and CPU so far. */
export function postgresProcesses(postmasterPid: number): Map<number, { kind: PgProcessKind; cpu: number }> {
  const out = new Map<number, { kind: PgProcessKind; cpu: number }>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const d of pids) {
    const pid = Number(d);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) !== postmasterPid) continue; // field 4: the parent
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const kind: PgProcessKind = /walwriter/.test(title) ? 'walwriter' : /\d\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(title) ? 'backend' : 'other';
      out.set(pid, { kind, cpu: (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * CPU used by the cluster between two snapshots, by kind. A process that started meanwhile counts
 * from zero; one that exited meanwhile is lost (the relays keep their connections open during a run).
 */
export function postgresCpuDelta(
  before: Map<number, { kind: PgProcessKind; cpu: number }>,
  after: Map<number, { kind: PgProcessKind; cpu: number }>,
): Record<PgProcessKind, number> {
  const sums: Record<PgProcessKind, number> = { backend: 0, walwriter: 0, other: 0 };
  for (const [pid, a] of after) sums[a.kind] += a.cpu - (before.get(pid)?.cpu ?? 0);
  return sums;
}

export type ProcCounters = { user: number; system: number; voluntary: number; involuntary: number };

/**
 * User and system CPU seconds of `pid` and every process below it (a relay started by tsx is the
 * wrapper's child), and its main threads' context switches: voluntary ones are mostly event-loop
 * waits (a wake-up each), involuntary ones preemption by other processes on the shared cores.
 */
export function treeCounters(pid: number): ProcCounters {
  const sum: ProcCounters = { user: 0, system: 0, voluntary: 0, involuntary: 0 };
  let all: string[] = [];
  try {
    all = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return sum;
  }
  const parentOf = new Map<number, number>();
  const stats = new Map<number, string[]>();
  for (const d of all) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(d), Number(rest[1]));
      stats.set(Number(d), rest);
    } catch {
      // exited meanwhile
    }
  }
  const inTree = (p: number): boolean => {
    for (let cur = p, hops = 0; cur > 1 && hops < 64; cur = parentOf.get(cur) ?? 0, hops++) if (cur === pid) return true;
    return false;
  };
  for (const [p, rest] of stats) {
    if (!inTree(p)) continue;
    sum.user += Number(rest[11]) / TICKS_PER_SECOND;
    sum.system += Number(rest[12]) / TICKS_PER_SECOND;
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      sum.voluntary += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      sum.involuntary += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return sum;
}
