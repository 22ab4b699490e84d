import { z } from 'zod';
import { method } from './define';
import { idSchema, instantSchema, localDateSchema, noteSchema, requiredText, searchQuerySchema, versionSchema } from './fields';

export const customerSchema = z.object({
  id: idSchema,
  firstName: z.string(),
  lastName: z.string(),
  /** "First Last", for lists. */
  name: z.string(),
  /** '' when the customer gave none. */
  email: z.string(),
  /** As entered, e.g. "+31 6 1234 5678". */
  phone: z.string(),
  licenceNumber: z.string(),
  licenceExpiry: localDateSchema,
  dateOfBirth: localDateSchema,
  notes: z.string(),
  version: z.number().int(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
export type Customer = z.infer<typeof customerSchema>;

export const customerUpsertSchema = z
  .object({
    /** Omit to add a customer; give it (and `expectedVersion`) to change one. */
    id: idSchema.optional(),
    expectedVersion: versionSchema.optional(),
    firstName: requiredText('First name', 60),
    lastName: requiredText('Last name', 60),
    email: z.union([z.literal(''), z.email({ message: 'Not a valid email address' }).max(254)]).default(''),
    phone: z
      .string()
      .trim()
      .max(30, { message: 'Phone must be at most 30 characters' })
      .regex(/^\+?[0-9 ()./-]*$/, { message: 'Phone may contain digits, spaces, "+", "-", "(", ")" only' })
      .refine((s) => s.replace(/\D/g, '').length >= 6, { message: 'Phone needs at least 6 digits' }),
    licenceNumber: requiredText('Licence number', 30),
    licenceExpiry: localDateSchema,
    dateOfBirth: localDateSchema,
    notes: noteSchema('Notes').default(''),
  })
  .strict();
export type CustomerUpsert = z.input<typeof customerUpsertSchema>;

export const customerMethods = {
  'customers.search': method({
    access: 'clerk',
    summary: 'Find customers by name, email, phone digits or licence number (prefix match)',
    input: z
      .object({
        query: searchQuerySchema,
        limit: z.number().int().min(1).max(50).default(20),
      })
      .strict(),
    output: z.object({ customers: z.array(customerSchema) }),
  }),
  'customers.merge': method({
    access: 'manager',
    summary: 'Merge two records of the same person: the second one’s bookings move to the first, which keeps its details',
    input: z
      .object({ keepId: idSchema, mergeId: idSchema })
      .strict()
      .refine((v) => v.keepId !== v.mergeId, { path: ['mergeId'], message: 'Choose two different customers to merge' }),
    output: z.object({ customer: customerSchema, bookingsMoved: z.number().int() }),
  }),
  'customers.erase': method({
    access: 'manager',
    summary: 'Erase a customer on request: personal data replaced, bookings and money records kept with their amounts',
    input: z.object({ id: idSchema, reason: requiredText('Reason', 200) }).strict(),
    output: z.object({ customer: customerSchema, bookingsKept: z.number().int() }),
  }),
  'customers.upsert': method({
    access: 'clerk',
    summary: 'Add a customer or change their details',
    input: customerUpsertSchema,
    output: customerSchema,
  }),
} as const;
