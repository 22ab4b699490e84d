import { z } from 'zod';
import { method } from './define';

export const databaseCheckSchema = z.object({
  ok: z.boolean(),
  /** SQLite's findings, at most 20; empty when the check passed. */
  problems: z.array(z.string()),
  /** A sentence for the manager: what the result means and what to do. */
  detail: z.string(),
  checkedAt: z.string(),
  dbPath: z.string(),
  /** The newest backup that passes quick_check, or null. */
  lastGoodBackup: z.string().nullable(),
});
export type DatabaseCheck = z.infer<typeof databaseCheckSchema>;

export const databaseMethods = {
  'database.check': method({
    access: 'manager',
    summary: 'Full integrity check of this counter’s database (Settings → Database)',
    input: z.object({}).strict(),
    output: databaseCheckSchema,
  }),
} as const;
