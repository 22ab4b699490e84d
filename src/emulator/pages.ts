import type { Core } from './core';
import { ApiError } from './errors';
import { completeSession } from './resources/checkout';
import { formatAmount } from './resources/common';

/** Minimal hosted pages behind the URLs the emulator hands out (Checkout, receipts). No auth: a customer's browser opens them. */

export type Page = { status: number; headers: Record<string, string>; body: string };

const TEST_CARDS: [string, string][] = [
  ['4242424242424242', 'Visa: approved'],
  ['5555555555554444', 'Mastercard: approved'],
  ['4000000000000002', 'Declined (generic)'],
  ['4000000000009995', 'Declined: insufficient funds'],
  ['4000000000000069', 'Declined: expired card'],
  ['4000000000000127', 'Declined: incorrect CVC'],
  ['4000000000000119', 'Processing error'],
  ['4000000000005126', 'Approved; refunds fail'],
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(status: number, title: string, content: string): Page {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}table{width:100%}td:last-child{text-align:right}.err{color:#b00020}</style>
</head><body>${content}</body></html>`;
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:" }, body };
}

function checkoutForm(core: Core, id: string, error: string | null): Page {
  const session = core.state.checkoutSessions.get(id);
  if (!session) return html(404, 'Not found', '<h1>Checkout Session not found</h1>');
  if (session.status !== 'open') return html(410, 'Checkout', `<h1>This Checkout Session is ${escapeHtml(session.status)}</h1>`);
  const items = core.state.lineItems.get(id) ?? [];
  const rows = items.map((li) => `<tr><td>${escapeHtml(li.description)} × ${li.quantity}</td><td>${escapeHtml(formatAmount(li.amount_total, li.currency))}</td></tr>`).join('');
  const options = TEST_CARDS.map(([n, label]) => `<option value="${n}">${escapeHtml(label)} (${n})</option>`).join('');
  return html(
    200,
    'Checkout (emulator)',
    `<h1>Pay ${escapeHtml(formatAmount(session.amount_total, session.currency))}</h1>
<p>Stripe emulator: no real card is charged.</p>
<table>${rows}</table>
${error ? `<p class="err" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/checkout/${escapeHtml(id)}">
<label>Email <input name="email" type="email" value="${escapeHtml(session.customer_email ?? '')}"></label><br>
<label>Test card <select name="card_number">${options}</select></label><br>
<button type="submit">Pay</button>
</form>
${session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel</a></p>` : ''}`,
  );
}

export function handlePage(core: Core, method: string, path: string, body: string): Page | null {
  const checkout = /^\/checkout\/([^/]+)$/.exec(path);
  if (checkout) {
    const id = decodeURIComponent(checkout[1] as string);
    if (method === 'GET') return checkoutForm(core, id, null);
    if (method !== 'POST') return null;
    const session = core.state.checkoutSessions.get(id);
    if (!session) return checkoutForm(core, id, null);
    const form = new URLSearchParams(body);
    try {
      completeSession(core, session, { cardNumber: form.get('card_number') ?? '4242424242424242', email: form.get('email') || undefined });
    } catch (err) {
      if (err instanceof ApiError) return checkoutForm(core, id, err.message);
      throw err;
    }
    const target = session.success_url?.replace('{CHECKOUT_SESSION_ID}', session.id);
    if (target) return { status: 303, headers: { Location: target }, body: '' };
    return html(200, 'Paid', '<h1>Payment complete</h1>');
  }
  const receipt = /^\/receipts\/([^/]+)$/.exec(path);
  if (receipt && method === 'GET') {
    const charge = core.state.charges.get(decodeURIComponent(receipt[1] as string));
    if (!charge) return html(404, 'Not found', '<h1>Receipt not found</h1>');
    return html(200, 'Receipt', `<h1>Receipt</h1><p>${escapeHtml(formatAmount(charge.amount_captured || charge.amount, charge.currency))}</p><p>${escapeHtml(charge.id)}</p>`);
  }
  const threeDs = /^\/_emulator\/3ds\/([^/]+)$/.exec(path);
  if (threeDs && method === 'GET') {
    return html(200, '3-D Secure (emulator)', `<h1>3-D Secure</h1><p>Complete or fail it with POST /v1/test_helpers/payment_intents/${escapeHtml(threeDs[1] as string)}/authenticate (outcome=complete|fail).</p>`);
  }
  return null;
}
