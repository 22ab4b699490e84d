import type { z } from 'zod';
import { contract, isMethodName } from '../../shared/contract';
import type { MethodName } from '../../shared/contract';
import { roleAllows } from '../../shared/contract/define';
import { DEFAULT_MESSAGES, PosError, storageErrorCode } from '../../shared/errors';
import { findPrototypeKey } from '../../shared/contract/define';
import type { PosErrorShape, Result } from '../../shared/errors';
import type { Logger } from '../log';
import type { CallContext, HandlerTable } from '../core/handlers';

/** Turns zod issues into `{ "customer.email": "Not a valid email" }` so a form can mark each field. */
export function fieldsFromZod(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
    fields[key] ??= issue.message;
  }
  return fields;
}

function fail(code: PosErrorShape['code'], message = DEFAULT_MESSAGES[code], fields?: Record<string, string>): Result<never> {
  const error: PosErrorShape = { code, message };
  if (fields) error.fields = fields;
  return { ok: false, error };
}

/**
 * The one entry point for every call from a renderer, whatever the transport. It never throws:
 * unknown methods, bad input, a wrong role, a failing service and a malformed answer all come
 * back as `{ ok: false, error }`, with the technical detail written to the log only.
 */
export async function dispatch(
  handlers: HandlerTable,
  ctx: CallContext,
  method: unknown,
  input: unknown,
  log: Logger,
): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    log.warn('rpc.unknown_method', { method: typeof method === 'string' ? method.slice(0, 100) : typeof method });
    return fail('unknown_method');
  }
  const def = contract[method];
  if (!roleAllows(def.access, ctx.role)) {
    log.warn('rpc.forbidden', { method, role: ctx.role, staffId: ctx.staffId });
    return ctx.role === null ? fail('not_signed_in') : fail('forbidden');
  }
  // JSON.parse makes "__proto__" an own key that zod then drops silently; refuse it outright.
  const protoPath = findPrototypeKey(input);
  if (protoPath !== null) {
    log.warn('rpc.prototype_key', { method, path: protoPath });
    return fail('invalid_input', 'Some details could not be accepted. Check the highlighted fields.', { [protoPath]: 'This name is not allowed as a key' });
  }
  const parsed = def.input.safeParse(input ?? {});
  if (!parsed.success) {
    const fields = fieldsFromZod(parsed.error);
    log.info('rpc.invalid_input', { method, fields });
    // A date outside the bounds every date input has gets its own code (a form still marks the field).
    const dateOnly = parsed.error.issues.every((i) => i.code === 'custom' && (i.params as { posCode?: string } | undefined)?.posCode === 'date_out_of_range');
    if (dateOnly) return fail('date_out_of_range', DEFAULT_MESSAGES.date_out_of_range, fields);
    return fail('invalid_input', DEFAULT_MESSAGES.invalid_input, fields);
  }
  let value: unknown;
  try {
    const handler = handlers[method] as (i: unknown, c: CallContext) => unknown;
    value = await handler(parsed.data, ctx);
  } catch (err) {
    return fromThrown(method, err, log);
  }
  const out = def.output.safeParse(value);
  if (!out.success) {
    log.error('rpc.invalid_output', { method, fields: fieldsFromZod(out.error) });
    return fail('invalid_output');
  }
  return { ok: true, value: out.data };
}

function fromThrown(method: MethodName, err: unknown, log: Logger): Result<never> {
  if (err instanceof PosError) {
    log.info('rpc.error', { method, code: err.code, message: err.message, fields: err.fields });
    return { ok: false, error: err.toShape() };
  }
  const storage = storageErrorCode((err as { code?: unknown } | null)?.code);
  if (storage !== null) {
    log.error('rpc.storage', { method, code: (err as { code: string }).code, error: err instanceof Error ? err.message : String(err) });
    return { ok: false, error: { code: storage, message: DEFAULT_MESSAGES[storage], retryable: storage !== 'disk_read_only' } };
  }
  log.error('rpc.internal', { method, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  return fail('internal');
}
