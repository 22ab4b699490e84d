/** What an event says about where it belongs. Pure: read from the event JSON only. */
export type RouteHints = {
  /** `data.object.metadata.install_id`: the till that started the object. */
  installId: string | null;
  /** The PaymentIntent the object belongs to (a PI's own id, a charge/refund/dispute's `payment_intent`, a reader action's). */
  paymentIntent: string | null;
  /** `data.object.metadata.location_id`: the shop, when the till is unknown. */
  locationId: string | null;
};

export type RouteKind = 'install' | 'payment_intent' | 'location' | 'unassigned';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const asId = (v: unknown): string | null => {
  if (typeof v === 'string' && v.length > 0 && v.length <= 255) return v;
  const o = asObj(v);
  return o && typeof o.id === 'string' && o.id.length > 0 && o.id.length <= 255 ? o.id : null;
};

export function routeHints(event: unknown): RouteHints {
  const object = asObj(asObj(asObj(event)?.data)?.object);
  if (!object) return { installId: null, paymentIntent: null, locationId: null };
  const metadata = asObj(object.metadata);
  const action = asObj(object.action);
  const paymentIntent =
    (object.object === 'payment_intent' ? asId(object.id) : null) ??
    asId(object.payment_intent) ??
    asId(asObj(action?.process_payment_intent)?.payment_intent) ??
    asId(asObj(action?.refund_payment)?.payment_intent);
  return {
    installId: metadata ? asId(metadata.install_id) : null,
    paymentIntent,
    locationId: metadata ? asId(metadata.location_id) : null,
  };
}

/** Read-only views of the store the planner needs; each store answers them its own way. */
export type RouteLookup = {
  isActiveInstall(id: string): boolean;
  installForPaymentIntent(paymentIntent: string): string | undefined;
  installsAtLocation(locationId: string): readonly string[];
  /** Event ids waiting in the unassigned queue for this PaymentIntent, oldest first. */
  unassignedForPaymentIntent(paymentIntent: string): readonly string[];
};

export type PlannedDelivery = { installId: string; eventId: string };
export type BatchPlan = {
  routes: Map<string, RouteKind>;
  /** In the order seqs must be given: an event's claimed predecessors come before it. */
  deliveries: PlannedDelivery[];
  unassigned: { eventId: string; paymentIntent: string | null; locationId: string | null }[];
  /** Events leaving the unassigned queue because their PaymentIntent's till is now known. */
  claimed: string[];
  learned: { paymentIntent: string; installId: string }[];
};

/**
 * Decides where each new event goes, in order: the install named in metadata; else the till
 * that owns the PaymentIntent (learned from earlier events); else every till at the location;
 * else the unassigned queue. An explicit install_id teaches the PaymentIntent's owner, and
 * the queue's earlier events for that PaymentIntent (a refund seen before its payment) follow.
 */
export function planBatch(events: readonly { id: string; hints: RouteHints }[], lookup: RouteLookup): BatchPlan {
  const plan: BatchPlan = { routes: new Map(), deliveries: [], unassigned: [], claimed: [], learned: [] };
  const learnedNow = new Map<string, string>();
  const queuedNow = new Map<string, string[]>(); // PI → event ids queued earlier in this batch
  const claimedSet = new Set<string>();
  const ownerOf = (pi: string) => learnedNow.get(pi) ?? lookup.installForPaymentIntent(pi);

  for (const { id, hints } of events) {
    const pi = hints.paymentIntent;
    if (hints.installId && lookup.isActiveInstall(hints.installId)) {
      const installId = hints.installId;
      if (pi && ownerOf(pi) !== installId) {
        learnedNow.set(pi, installId);
        plan.learned.push({ paymentIntent: pi, installId });
        const waiting = [...lookup.unassignedForPaymentIntent(pi), ...(queuedNow.get(pi) ?? [])];
        queuedNow.delete(pi);
        for (const eventId of waiting) {
          if (claimedSet.has(eventId)) continue;
          claimedSet.add(eventId);
          plan.claimed.push(eventId);
          plan.routes.set(eventId, 'payment_intent');
          plan.deliveries.push({ installId, eventId });
        }
      }
      plan.routes.set(id, 'install');
      plan.deliveries.push({ installId, eventId: id });
      continue;
    }
    const owner = pi ? ownerOf(pi) : undefined;
    if (owner && lookup.isActiveInstall(owner)) {
      plan.routes.set(id, 'payment_intent');
      plan.deliveries.push({ installId: owner, eventId: id });
      continue;
    }
    const atLocation = hints.locationId ? lookup.installsAtLocation(hints.locationId) : [];
    if (atLocation.length > 0) {
      plan.routes.set(id, 'location');
      for (const installId of atLocation) plan.deliveries.push({ installId, eventId: id });
      continue;
    }
    plan.routes.set(id, 'unassigned');
    plan.unassigned.push({ eventId: id, paymentIntent: pi, locationId: hints.locationId });
    if (pi) queuedNow.set(pi, [...(queuedNow.get(pi) ?? []), id]);
  }
  // An event queued and claimed in the same batch never reaches the queue.
  plan.unassigned = plan.unassigned.filter((u) => !claimedSet.has(u.eventId));
  // Only events waiting from earlier batches have a queue row to remove.
  const inBatch = new Set(events.map((e) => e.id));
  plan.claimed = plan.claimed.filter((id) => !inBatch.has(id));
  return plan;
}
