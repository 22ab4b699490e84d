import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { PosBridge } from '../shared/bridge';

// Literal channel names: the bundled preload must not pull shared code it does not need.
const CALL = 'pos:call';
const EVENT = 'pos:event';

const pos: PosBridge = {
  call: ((method: unknown, input: unknown) => {
    if (typeof method !== 'string') return Promise.reject(new TypeError('method must be a string'));
    return ipcRenderer.invoke(CALL, method, input);
  }) as PosBridge['call'],
  on: (event, listener) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const wrapped = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('pos', pos);
