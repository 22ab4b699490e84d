import type { Core } from './core';
import { NO_REQUEST } from './events';
import { expireSession } from './resources/checkout';
import { expireHold } from './resources/paymentIntentLifecycle';
import { failRefund, succeedRefund } from './resources/refunds';

type Due = { at: number; run: () => void };

/**
 * Applies whatever the clock has made due, oldest first: uncaptured holds past capture_before
 * are cancelled, open Checkout Sessions past expires_at expire, refund_fail refunds fail and
 * pendingRefund refunds succeed.
 * Cheap when nothing is due (one comparison), so it runs before every request.
 */
export function runDueWork(core: Core): void {
  const now = core.now();
  if (now < core.nextDeadline) return;
  const s = core.state;
  const due: Due[] = [];
  let next = Infinity;
  const consider = (at: number, run: () => void): void => {
    if (at <= now) due.push({ at, run });
    else next = Math.min(next, at);
  };
  for (const [id, at] of s.holds) consider(at, () => expireHold(core, id));
  for (const [id, at] of s.openSessions) {
    consider(at, () => {
      const session = s.checkoutSessions.get(id);
      if (session && session.status === 'open') expireSession(core, session);
      else s.openSessions.delete(id);
    });
  }
  for (const [id, at] of s.refundFailAt) {
    consider(at, () => {
      const refund = s.refunds.get(id);
      if (refund) failRefund(core, refund);
      else s.refundFailAt.delete(id);
    });
  }
  for (const [id, at] of s.refundSucceedAt) {
    consider(at, () => {
      const refund = s.refunds.get(id);
      if (refund) succeedRefund(core, refund);
      else s.refundSucceedAt.delete(id);
    });
  }
  core.nextDeadline = next;
  if (due.length === 0) return;
  due.sort((a, b) => a.at - b.at);
  const saved = core.events.current;
  // Automatic changes carry no request, as Stripe's do.
  core.events.current = { ...NO_REQUEST, apiVersion: saved.apiVersion };
  try {
    for (const d of due) d.run();
  } finally {
    core.events.current = saved;
  }
}

/** Recomputes the earliest deadline from scratch (after loading a snapshot). */
export function recomputeDeadline(core: Core): void {
  let next = Infinity;
  for (const at of core.state.holds.values()) next = Math.min(next, at);
  for (const at of core.state.openSessions.values()) next = Math.min(next, at);
  for (const at of core.state.refundFailAt.values()) next = Math.min(next, at);
  for (const at of core.state.refundSucceedAt.values()) next = Math.min(next, at);
  core.nextDeadline = next;
}
