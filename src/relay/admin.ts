import { ulid } from 'ulid';
import type { RelayStore } from './store/types';
import { hashToken, newToken } from './tokens';

export type AdminIo = { out: (line: string) => void; err: (line: string) => void };

export const ADMIN_USAGE = `Usage: npm run relay -- <command>
  (no command) | serve                 start the relay (see src/relay/README.md for RELAY_* settings)
  install add <name> [--location <id>] create an install; prints its token ONCE
  install list                         installs with their seq, acknowledged seq and lag
  install revoke <install-id>          refuse the install's token from now on, close its streams
  admin add <name>                     create an admin token (for /v1/admin/*); prints it ONCE
  unassigned [--limit <n>]             events no install could be found for
  assign <event-id> <install-id>       deliver an unassigned event (and its PaymentIntent's others) to an install`;

function flag(args: string[], name: string): string | null {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  args.splice(i, 2);
  return v ?? null;
}

/** Admin commands that work on the store directly, with or without a running relay. Returns an exit code. */
export async function runAdminCommand(store: RelayStore, argv: readonly string[], io: AdminIo, now: () => number = Date.now): Promise<number> {
  const args = [...argv];
  const [cmd, sub] = args;
  if (cmd === 'install' && sub === 'add') {
    const rest = args.slice(2);
    const location = flag(rest, '--location');
    const name = rest.join(' ').trim();
    if (!name || name.length > 200) {
      io.err('install add: give a name, e.g. install add "Counter 1" --location airport');
      return 2;
    }
    const id = ulid();
    const token = newToken('install');
    await store.addInstall({ id, name, locationId: location, tokenHash: hashToken(token), now: now() });
    io.out(`install ${id} "${name}"${location ? ` at location ${location}` : ''}`);
    io.out(`token (shown once, store it in the till's settings): ${token}`);
    return 0;
  }
  if (cmd === 'install' && sub === 'list') {
    const rows = await store.listInstalls();
    if (rows.length === 0) io.out('no installs');
    for (const i of rows) {
      const state = i.revokedAt === null ? 'active' : `revoked ${new Date(i.revokedAt).toISOString()}`;
      io.out(`${i.id}  ${i.name}  location=${i.locationId ?? '-'}  seq=${i.lastSeq}  acked=${i.ackedSeq}  lag=${i.lastSeq - i.ackedSeq}  ${state}`);
    }
    return 0;
  }
  if (cmd === 'install' && sub === 'revoke') {
    const id = args[2];
    if (!id) {
      io.err('install revoke: give the install id (see install list)');
      return 2;
    }
    const done = await store.revokeInstall(id, now());
    if (!done) {
      io.err(`install ${id} is unknown or already revoked`);
      return 1;
    }
    io.out(`install ${id} revoked; its token is refused and its streams are closed`);
    return 0;
  }
  if (cmd === 'admin' && sub === 'add') {
    const name = args.slice(2).join(' ').trim();
    if (!name) {
      io.err('admin add: give a name');
      return 2;
    }
    const token = newToken('admin');
    const id = ulid();
    await store.addAdmin({ id, name, tokenHash: hashToken(token), now: now() });
    io.out(`admin ${id} "${name}"`);
    io.out(`token (shown once): ${token}`);
    return 0;
  }
  if (cmd === 'unassigned') {
    const rest = args.slice(1);
    const limit = Math.min(1000, Math.max(1, Number(flag(rest, '--limit') ?? 100) || 100));
    const rows = await store.listUnassigned(limit);
    io.out(`${await store.countUnassigned()} unassigned`);
    for (const u of rows)
      io.out(`${u.eventId}  ${u.type}  ${new Date(u.receivedAt).toISOString()}  pi=${u.paymentIntent ?? '-'}  location=${u.locationId ?? '-'}`);
    return 0;
  }
  if (cmd === 'assign') {
    const [, eventId, installId] = args;
    if (!eventId || !installId) {
      io.err('assign: give <event-id> <install-id>');
      return 2;
    }
    const r = await store.assign(eventId, installId, now());
    if (!r.ok) {
      io.err(r.reason === 'unknown_install' ? `install ${installId} is unknown or revoked` : `event ${eventId} is not in the unassigned queue`);
      return 1;
    }
    io.out(`delivered ${r.deliveries.map((d) => `${d.eventId} as seq ${d.seq}`).join(', ')} to ${installId}`);
    return 0;
  }
  io.err(ADMIN_USAGE);
  return 2;
}
