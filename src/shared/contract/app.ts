import { z } from 'zod';
import { ROLES, method } from './define';

export const MODES = ['demo', 'test', 'live'] as const;
export type Mode = (typeof MODES)[number];

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(MODES),
  transport: z.enum(['electron', 'http']),
  dbPath: z.string(),
  schemaVersion: z.number().int(),
  installId: z.string(),
  platform: z.string(),
  startedAt: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const SYNC_STATES = ['off', 'connecting', 'live', 'offline', 'error'] as const;

export const JOB_HEALTHS = ['starting', 'ok', 'degraded', 'failed', 'stopped'] as const;
/** One background job (sync stream, connectivity probe, outbox worker…) as the job runner reports it. */
export const jobStatusSchema = z.object({
  name: z.string(),
  health: z.enum(JOB_HEALTHS),
  /** One sentence for a manager, e.g. why the job is stopped. */
  detail: z.string(),
  /** When health or detail last changed. */
  since: z.string(),
});
export type JobStatusView = z.infer<typeof jobStatusSchema>;

export const statusSchema = z.object({
  /** Can main reach Stripe (or the emulator in demo mode)? null until first checked. */
  online: z.boolean().nullable(),
  sync: z.enum(SYNC_STATES),
  /** Sentence for the badge's tooltip, e.g. why sync is off. */
  detail: z.string(),
  checkedAt: z.string().nullable(),
  /** Every background job of main, in start order. */
  jobs: z.array(jobStatusSchema),
});
export type Status = z.infer<typeof statusSchema>;

export const sessionSchema = z.object({
  staffId: z.string().nullable(),
  name: z.string(),
  role: z.enum(ROLES).nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

const noInput = z.object({}).strict();

export const appMethods = {
  'app.info': method({
    access: 'public',
    summary: 'Version, mode, database path and schema version of this install',
    input: noInput,
    output: appInfoSchema,
  }),
  'app.status': method({
    access: 'public',
    summary: 'Connectivity and sync state shown in the title bar, and the health of every background job',
    input: noInput,
    output: statusSchema,
  }),
  'session.current': method({
    access: 'public',
    summary: 'Who is signed in at this counter',
    input: noInput,
    output: sessionSchema,
  }),
} as const;

export const appEvents = {
  'status.changed': statusSchema,
  'session.changed': sessionSchema,
} as const;
