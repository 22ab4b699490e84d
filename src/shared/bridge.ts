import type { EventName, EventPayload, Input, MethodName, Output } from './contract';
import type { Result } from './errors';

/**
 * The whole surface the preload gives a page: `window.pos`. Two functions, one channel each;
 * no ipcRenderer, no channel names, no process.env.
 */
export type PosBridge = {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export const IPC_CALL_CHANNEL = 'pos:call';
export const IPC_EVENT_CHANNEL = 'pos:event';
