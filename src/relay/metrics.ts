import type { InstallStats } from './store/types';

export type RejectReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'malformed_json'
  | 'invalid_event'
  | 'content_type'
  | 'too_large'
  | 'store_error';

/** In-process counters; gauges that live in the store are read at scrape time. */
export type RelayMetrics = {
  received: number;
  stored: { webhook: number; backfill: number };
  duplicates: number;
  rejected: Map<RejectReason, number>;
  delivered: Map<string, number>;
  ingestBatches: number;
  backfillRuns: number;
  backfillErrors: number;
  capAlerts: number;
  /** Streams opened with a Last-Event-ID beyond the install's last seq. */
  cursorAhead: number;
  connectionsRefused: () => { perAddress: number; bodies: number };
  streamsOpen: () => number;
  walSyncs: () => number;
};

export function createRelayMetrics(streamsOpen: () => number): RelayMetrics {
  return {
    received: 0,
    stored: { webhook: 0, backfill: 0 },
    duplicates: 0,
    rejected: new Map(),
    delivered: new Map(),
    ingestBatches: 0,
    backfillRuns: 0,
    backfillErrors: 0,
    capAlerts: 0,
    cursorAhead: 0,
    connectionsRefused: () => ({ perAddress: 0, bodies: 0 }),
    streamsOpen,
    walSyncs: () => 0,
  };
}

export function countRejected(m: RelayMetrics, reason: RejectReason): void {
  m.rejected.set(reason, (m.rejected.get(reason) ?? 0) + 1);
}

export function countDelivered(m: RelayMetrics, installId: string, n: number): void {
  m.delivered.set(installId, (m.delivered.get(installId) ?? 0) + n);
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** Prometheus text exposition format 0.0.4. */
export function renderPrometheus(m: RelayMetrics, installs: readonly InstallStats[], unassigned: number, cap: number, nowMs: number): string {
  const out: string[] = [];
  const family = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of samples) out.push(`${name}${labels} ${v}`);
  };
  const inst = (i: InstallStats) => `{install="${esc(i.id)}",name="${esc(i.name)}"}`;
  const live = installs.filter((i) => i.revokedAt === null);
  family('relay_webhooks_received_total', 'counter', 'Webhook requests received.', [['', m.received]]);
  family('relay_events_stored_total', 'counter', 'New events stored, by source.', [
    ['{source="webhook"}', m.stored.webhook],
    ['{source="backfill"}', m.stored.backfill],
  ]);
  family('relay_events_duplicate_total', 'counter', 'Events received again and acknowledged without storing.', [['', m.duplicates]]);
  family(
    'relay_webhooks_rejected_total',
    'counter',
    'Webhook requests refused, by reason.',
    [...m.rejected.entries()].sort().map(([r, n]) => [`{reason="${r}"}`, n]),
  );
  family(
    'relay_events_delivered_total',
    'counter',
    'Events sent to installs over SSE or long-poll (resends after a reconnect count again).',
    installs.map((i) => [inst(i), m.delivered.get(i.id) ?? 0]),
  );
  family('relay_install_lag_events', 'gauge', 'Events stored for the install and not yet acknowledged.', live.map((i) => [inst(i), i.lastSeq - i.ackedSeq]));
  family(
    'relay_install_lag_seconds',
    'gauge',
    'Age of the oldest unacknowledged event for the install.',
    live.map((i) => [inst(i), i.oldestUnackedAt === null ? 0 : Math.max(0, (nowMs - i.oldestUnackedAt) / 1000)]),
  );
  family('relay_install_over_cap', 'gauge', `1 when the install has more than ${cap} unacknowledged events.`, live.map((i) => [inst(i), i.lastSeq - i.ackedSeq > cap ? 1 : 0]));
  family('relay_unassigned_events', 'gauge', 'Events no install could be found for, waiting for an admin.', [['', unassigned]]);
  family('relay_streams_open', 'gauge', 'Open SSE streams on this instance.', [['', m.streamsOpen()]]);
  family('relay_ingest_batches_total', 'counter', 'Store transactions used to store webhooks (group commit).', [['', m.ingestBatches]]);
  family('relay_wal_fsyncs_total', 'counter', 'fsyncs of the SQLite write-ahead log by this process (PostgreSQL: see pg_stat_wal).', [['', m.walSyncs()]]);
  family('relay_backfill_runs_total', 'counter', 'Completed backfill runs.', [['', m.backfillRuns]]);
  family('relay_backfill_errors_total', 'counter', 'Failed backfill runs.', [['', m.backfillErrors]]);
  family('relay_cap_alerts_total', 'counter', 'Times an install crossed the unacknowledged-event cap.', [['', m.capAlerts]]);
  family('relay_stream_cursor_ahead_total', 'counter', "Streams opened with a Last-Event-ID past the install's last seq (restored till?).", [['', m.cursorAhead]]);
  const refused = m.connectionsRefused();
  family('relay_connections_refused_total', 'counter', 'Connections or webhook bodies refused by the per-address caps.', [
    ['{reason="per_address"}', refused.perAddress],
    ['{reason="bodies_in_flight"}', refused.bodies],
  ]);
  const cpu = process.cpuUsage();
  family('process_cpu_seconds_total', 'counter', 'User and system CPU time spent, in seconds.', [['', (cpu.user + cpu.system) / 1e6]]);
  const mem = process.memoryUsage();
  family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [['', mem.rss]]);
  family('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap used in bytes.', [['', mem.heapUsed]]);
  return out.join('\n') + '\n';
}
