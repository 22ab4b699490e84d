import type { MethodName, Output, ParsedInput } from '../../shared/contract';
import type { Role } from '../../shared/contract/define';

/** What a handler knows about its caller. Built by the transport from the counter's session. */
export type CallContext = {
  readonly role: Role | null;
  readonly staffId: string | null;
  readonly transport: 'ipc' | 'http' | 'internal';
};

export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: CallContext) => Output<M> | Promise<Output<M>>;

export type HandlerTable = { [M in MethodName]: Handler<M> };
export type PartialHandlerTable = { [M in MethodName]?: Handler<M> };

/**
 * Joins the per-capability handler tables into one. A method claimed twice, or a contract
 * method nobody handles, is a programming error caught at startup, not at a counter.
 */
export function joinHandlers(tables: PartialHandlerTable[], methods: readonly MethodName[]): HandlerTable {
  const joined: PartialHandlerTable = {};
  for (const table of tables) {
    for (const name of Object.keys(table) as MethodName[]) {
      if (joined[name]) throw new Error(`Two handlers for rpc method ${name}`);
      (joined as Record<string, unknown>)[name] = table[name];
    }
  }
  const missing = methods.filter((m) => !joined[m]);
  if (missing.length > 0) throw new Error(`No handler for rpc method(s): ${missing.join(', ')}`);
  return joined as HandlerTable;
}
