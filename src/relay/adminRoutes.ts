import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { createAdminGuard } from './adminGuard';
import type { DeliveryHub } from './deliveryHub';
import type { RelayLogger } from './log';
import type { RelayStore } from './store/types';
import { bearerToken, hashToken } from './tokens';

const assignBody = z.object({ eventId: z.string().min(1).max(255), installId: z.string().min(1).max(64) });

/** /v1/admin/*: the app's Host/Origin rules first (adminGuard.ts), then an admin token. */
export function registerAdminRoutes(
  app: FastifyInstance,
  d: { store: RelayStore; hub: DeliveryHub; log: RelayLogger; now: () => number; adminHosts: readonly string[] },
): void {
  const { store, hub, log, now } = d;
  // Checked before the body is read: a cross-site text/plain POST is refused, not parsed.
  const guard = createAdminGuard(d.adminHosts);
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/v1/admin/')) return;
    const g = guard(req.raw);
    if (!g.ok) {
      log.warn('relay.admin.refused', { reason: g.error, host: req.headers.host ?? null, origin: req.headers.origin ?? null });
      return reply.code(403).send({ error: g.error });
    }
  });

  const authAdmin = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const token = bearerToken(req.headers.authorization);
    const admin = token ? await store.adminForTokenHash(hashToken(token)) : undefined;
    if (!admin) await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    return !!admin;
  };

  app.get('/v1/admin/unassigned', async (req, reply) => {
    if (!(await authAdmin(req, reply))) return reply;
    const limit = z.coerce.number().int().min(1).max(1000).catch(100).parse((req.query as Record<string, unknown>).limit ?? 100);
    return { events: await store.listUnassigned(limit), total: await store.countUnassigned() };
  });

  app.post('/v1/admin/assign', async (req, reply) => {
    if (!(await authAdmin(req, reply))) return reply;
    const b = assignBody.safeParse(req.body);
    if (!b.success) return reply.code(400).send({ error: 'bad_body' });
    const r = await store.assign(b.data.eventId, b.data.installId, now());
    if (!r.ok) return reply.code(r.reason === 'unknown_install' ? 404 : 409).send({ error: r.reason });
    log.info('relay.admin.assigned', { eventId: b.data.eventId, installId: b.data.installId, moved: r.deliveries.length });
    hub.wake([b.data.installId]);
    return { deliveries: r.deliveries.map((x) => ({ eventId: x.eventId, seq: x.seq })) };
  });

  app.get('/v1/admin/installs', async (req, reply) => {
    if (!(await authAdmin(req, reply))) return reply;
    return { installs: await store.listInstalls() };
  });

  app.post('/v1/admin/installs/:id/revoke', async (req, reply) => {
    if (!(await authAdmin(req, reply))) return reply;
    const id = (req.params as { id: string }).id;
    const done = await store.revokeInstall(id, now());
    hub.closeInstall(id);
    if (done) log.info('relay.install.revoked', { installId: id });
    return done ? { revoked: true } : reply.code(404).send({ error: 'unknown_or_revoked' });
  });
}
