import { z } from 'zod';
import { sessionSchema } from './app';
import { ROLES, method } from './define';
import { idSchema, instantSchema, requiredText, versionSchema } from './fields';
import { pinSchema } from './staff';

/**
 * Staff management for managers and admins (issue 15). Rules live in main: a manager cannot
 * raise anyone above themselves or act on someone ranked above them, and the last active admin
 * cannot be demoted or disabled. Nobody is ever deleted: the audit log names them.
 */
export const staffRecordSchema = z.object({
  id: idSchema,
  name: z.string(),
  role: z.enum(ROLES),
  active: z.boolean(),
  /** Set while too many wrong PINs keep the account locked. */
  lockedUntil: instantSchema.nullable(),
  /** The PIN was set or reset by a manager; the person chooses their own at next sign-in. */
  mustChangePin: z.boolean(),
  version: z.number().int(),
});
export type StaffRecord = z.infer<typeof staffRecordSchema>;

const target = { id: idSchema, expectedVersion: versionSchema.optional() };

export const staffAdminMethods = {
  'staff.manage.list': method({
    access: 'manager',
    summary: 'Every member of staff, disabled ones included, with role, lock and PIN state',
    input: z.object({}).strict(),
    output: z.object({ staff: z.array(staffRecordSchema) }),
  }),
  'staff.add': method({
    access: 'manager',
    summary: 'Add a member of staff with a starting PIN they replace at first sign-in',
    input: z.object({ name: requiredText('Name', 80), role: z.enum(ROLES, { message: 'Role must be clerk, manager or admin' }), pin: pinSchema }).strict(),
    output: staffRecordSchema,
  }),
  'staff.setRole': method({
    access: 'manager',
    summary: 'Change a member of staff’s role',
    input: z.object({ ...target, role: z.enum(ROLES, { message: 'Role must be clerk, manager or admin' }) }).strict(),
    output: staffRecordSchema,
  }),
  'staff.setActive': method({
    access: 'manager',
    summary: 'Disable a member of staff (they can no longer sign in) or enable them again',
    input: z.object({ ...target, active: z.boolean() }).strict(),
    output: staffRecordSchema,
  }),
  'staff.resetPin': method({
    access: 'manager',
    summary: 'Give a member of staff a temporary PIN; they choose a new one at next sign-in',
    input: z.object({ ...target, pin: pinSchema }).strict(),
    output: staffRecordSchema,
  }),
  'staff.unlock': method({
    access: 'manager',
    summary: 'Unlock an account locked by wrong PINs',
    input: z.object({ ...target }).strict(),
    output: staffRecordSchema,
  }),
  'session.setNewPin': method({
    access: 'public',
    summary: 'Sign in with a temporary PIN and replace it with a PIN of one’s own',
    input: z.object({ staffId: idSchema, pin: pinSchema, newPin: pinSchema }).strict(),
    output: sessionSchema,
  }),
} as const;
