/**
 * Summarises V8 .cpuprofile files (node --cpu-prof), for reading where a relay spends its CPU:
 * self and inclusive time by function (a function counts once per sample however often it is on
 * the stack), and self time by package / area. Idle time is left out of the percentages.
 *   npx tsx bench/cpuProfileSummary.ts <dir-or-file>… [--top 40] [--match text]
 * With a folder, every .cpuprofile in it is summed (a relay started by tsx writes two: the tsx
 * wrapper's, nearly idle, and the relay's). `--match` lists only functions whose name or file
 * contains the text (inclusive time, e.g. `--match postgresIngest`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const IDLE = new Set(['(idle)', '(program)']);

/** Where a frame's code lives: a package, our source, node's internals, or V8's own. */
function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const s = /\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  return s ? s[1]! : url;
}

function files(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (statSync(a).isDirectory()) for (const f of readdirSync(a)) if (f.endsWith('.cpuprofile')) out.push(join(a, f));
    if (a.endsWith('.cpuprofile')) out.push(a);
  }
  return out;
}

export function summarise(paths: string[]) {
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const p of paths) {
    const prof = JSON.parse(readFileSync(p, 'utf8')) as Profile;
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const key = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    // Stack keys per leaf node, computed once.
    const stacks = new Map<number, Set<string>>();
    const stackOf = (id: number): Set<string> => {
      let s = stacks.get(id);
      if (s) return s;
      s = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) s.add(key(byId.get(cur)!));
      stacks.set(id, s);
      return s;
    };
    for (let i = 0; i < prof.samples.length; i++) {
      const us = prof.timeDeltas[i + 1] ?? 0; // a delta is the time until the next sample
      const n = byId.get(prof.samples[i]!)!;
      if (IDLE.has(n.callFrame.functionName)) {
        idle += us;
        continue;
      }
      busy += us;
      const k = key(n);
      self.set(k, (self.get(k) ?? 0) + us);
      const a = area(n.callFrame.url, n.callFrame.functionName);
      areas.set(a, (areas.get(a) ?? 0) + us);
      for (const f of stackOf(n.id)) incl.set(f, (incl.get(f) ?? 0) + us);
    }
  }
  return { self, incl, areas, busy, idle };
}

if (process.argv[1]?.endsWith('cpuProfileSummary.ts')) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 30;
  const matchAt = args.indexOf('--match');
  const match = matchAt >= 0 ? args.splice(matchAt, 2)[1]! : null;
  const paths = files(args);
  const { self, incl, areas, busy, idle } = summarise(paths);
  const ms = (us: number) => (us / 1000).toFixed(1).padStart(8);
  const pct = (us: number) => ((us * 100) / busy).toFixed(1).padStart(5) + '%';
  const list = (m: Map<string, number>, n: number, filter?: string | null) =>
    [...m.entries()]
      .filter(([k]) => !filter || k.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${ms(v)} ms ${pct(v)}  ${k}`)
      .join('\n');
  console.log(`${paths.length} profiles, busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`);
  if (match) {
    console.log(`\n-- inclusive, matching "${match}"\n` + list(incl, top, match));
  } else {
    console.log('\n-- self time by area\n' + list(areas, 25));
    console.log('\n-- self time by function\n' + list(self, top));
    console.log('\n-- inclusive time by function\n' + list(incl, top));
  }
}
