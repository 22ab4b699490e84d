import { z } from 'zod';
import { sessionSchema } from './app';
import { ROLES, method } from './define';
import { idSchema } from './fields';

export const staffMemberSchema = z.object({
  id: idSchema,
  name: z.string(),
  role: z.enum(ROLES),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const pinSchema = z.string().regex(/^\d{4,8}$/, { message: 'PIN is 4 to 8 digits' });

export const staffMethods = {
  'staff.list': method({
    access: 'public',
    summary: 'Who can sign in at this counter (names and roles only, for the sign-in screen)',
    input: z.object({}).strict(),
    output: z.object({ staff: z.array(staffMemberSchema) }),
  }),
  'session.signIn': method({
    access: 'public',
    summary: 'Sign in with a PIN; a wrong PIN says how many tries are left, a locked account says until when',
    input: z.object({ staffId: idSchema, pin: pinSchema }).strict(),
    output: sessionSchema,
  }),
  'session.signOut': method({
    access: 'public',
    summary: 'Sign the counter out',
    input: z.object({}).strict(),
    output: sessionSchema,
  }),
} as const;
