import { useEffect } from 'react';
import { useRefunds } from './useRefunds';

/** Title bar: how many Stripe calls (refunds) wait in the queue, and whether any needs a person. */
export function QueueBadge() {
  const queue = useRefunds((s) => s.queue);
  const subscribe = useRefunds((s) => s.subscribe);
  useEffect(() => subscribe(), [subscribe]);
  if (!queue) return null;
  const text = queue.waiting === 0 ? 'Queue empty' : `${queue.waiting} waiting`;
  const tone = queue.attention > 0 ? 'bad' : queue.waiting > 0 ? 'idle' : 'ok';
  const title =
    queue.waiting === 0
      ? 'No refunds are waiting to be sent to Stripe.'
      : `${queue.waiting} refund(s) wait to be sent to Stripe; they go out by themselves when Stripe answers.`;
  return (
    <output aria-label="Refund queue" className={`badge ${tone}`} title={queue.attention > 0 ? `${title} ${queue.attention} need(s) attention (Refunds, F3).` : title}>
      {text}
      {queue.attention > 0 ? ` · ${queue.attention} need attention` : ''}
    </output>
  );
}
