import { events } from '../shared/contract';
import type { EventName, EventPayload } from '../shared/contract';
import type { Logger } from './log';

export type PushListener = (name: EventName, payload: unknown) => void;

/** Main's push channel to every open renderer. Payloads are checked against the contract first. */
export type EventBus = {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  subscribe(listener: PushListener): () => void;
};

export function createEventBus(log: Logger): EventBus {
  const listeners = new Set<PushListener>();
  return {
    emit(name, payload) {
      const parsed = events[name].safeParse(payload);
      if (!parsed.success) {
        log.error('push.invalid_payload', { name, issues: parsed.error.issues.map((i) => i.path.join('.')) });
        return;
      }
      for (const l of listeners) {
        try {
          l(name, parsed.data);
        } catch (err) {
          log.warn('push.listener_failed', { name, error: String(err) });
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
