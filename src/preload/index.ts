import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { PosBridge } from '../shared/bridge';

// Literal channel names: the bundled preload must not pull shared code it does not need.
const CALL = 'pos:call';
const EVENT = 'pos:event';
const PRINT = 'pos:print';

// Main validates the request (kind, booking id, pdf) and the sender; the preload only forwards plain data.
const print: NonNullable<PosBridge['print']> = (request) => ipcRenderer.invoke(PRINT, request);

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
  print,
  printReceipt: (bookingId) => print({ kind: 'receipt', bookingId, pdf: false }),
};

contextBridge.exposeInMainWorld('pos', pos);
