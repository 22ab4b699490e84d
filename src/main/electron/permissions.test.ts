import { describe, expect, it } from 'vitest';
import { decidePermission, originOf } from './permissions';
import type { PermissionSettings } from './permissions';

const APP = 'app://keydesk';
const simulated: PermissionSettings = { reader: 'simulated', mode: 'demo' };
const terminalJsLive: PermissionSettings = { reader: 'terminal-js', mode: 'live' };
const terminalJsDemo: PermissionSettings = { reader: 'terminal-js', mode: 'demo' };
const top = { isMainFrame: true };

describe('decidePermission (DESIGN §7)', () => {
  it('grants the camera to the app, video only, from a request or a check', () => {
    expect(decidePermission('media', APP, { ...top, mediaTypes: ['video'] }, simulated).grant).toBe(true);
    expect(decidePermission('media', APP, { ...top, mediaType: 'video' }, simulated).grant).toBe(true);
  });

  it('refuses the microphone, camera plus microphone, and a media request that names nothing', () => {
    expect(decidePermission('media', APP, { ...top, mediaTypes: ['audio'] }, simulated)).toEqual({ grant: false, why: 'only the camera (video) is allowed' });
    expect(decidePermission('media', APP, { ...top, mediaTypes: ['video', 'audio'] }, simulated).grant).toBe(false);
    expect(decidePermission('media', APP, { ...top, mediaTypes: [] }, simulated).grant).toBe(false);
    expect(decidePermission('media', APP, { ...top, mediaType: 'unknown' }, simulated).grant).toBe(false);
    expect(decidePermission('media', APP, { ...top }, simulated).grant).toBe(false);
  });

  it('refuses the camera to any other origin, a subframe, or a frame embedded cross-origin', () => {
    for (const origin of ['https://example.com', 'http://127.0.0.1:5173', 'file://', 'app://evil', 'null', '', null, undefined]) {
      expect(decidePermission('media', origin, { ...top, mediaTypes: ['video'] }, simulated).grant, String(origin)).toBe(false);
    }
    expect(decidePermission('media', APP, { isMainFrame: false, mediaTypes: ['video'] }, simulated).grant).toBe(false);
    expect(decidePermission('media', APP, { mediaTypes: ['video'] }, simulated).grant).toBe(false);
    expect(decidePermission('media', APP, { ...top, mediaType: 'video', embeddingOrigin: 'https://example.com' }, simulated).grant).toBe(false);
  });

  it('grants the dev server origin only when it is the dev server in use', () => {
    const dev = { ...simulated, devServerUrl: 'http://localhost:5173/' };
    expect(decidePermission('media', 'http://localhost:5173', { ...top, mediaType: 'video' }, dev).grant).toBe(true);
    expect(decidePermission('media', 'http://localhost:5174', { ...top, mediaType: 'video' }, dev).grant).toBe(false);
    expect(decidePermission('media', 'http://localhost:5173', { ...top, mediaType: 'video' }, simulated).grant).toBe(false);
  });

  it('grants local-network access only in terminal-js reader mode, to the app', () => {
    for (const p of ['local-network-access', 'local-network']) {
      expect(decidePermission(p, APP, top, terminalJsLive).grant, p).toBe(true);
      expect(decidePermission(p, APP, top, simulated).grant, p).toBe(false);
      expect(decidePermission(p, APP, top, { reader: 'server-driven', mode: 'live' }).grant, p).toBe(false);
      expect(decidePermission(p, 'https://example.com', top, terminalJsLive).grant, p).toBe(false);
      expect(decidePermission(p, APP, { isMainFrame: false }, terminalJsLive).grant, p).toBe(false);
    }
  });

  it('grants loopback only to the demo terminal-js reader (the emulator on 127.0.0.1)', () => {
    expect(decidePermission('loopback-network', APP, top, terminalJsDemo).grant).toBe(true);
    expect(decidePermission('loopback-network', APP, top, terminalJsLive).grant).toBe(false);
    expect(decidePermission('loopback-network', APP, top, { ...terminalJsLive, mode: 'test' }).grant).toBe(false);
  });

  it('refuses everything else, even to the app', () => {
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal', 'fileSystem', 'hid', 'usb', 'serial', 'midi', 'fullscreen', 'pointerLock', 'unknown', 'Media', '']) {
      expect(decidePermission(p, APP, { ...top, mediaTypes: ['video'] }, terminalJsDemo).grant, p).toBe(false);
    }
  });
});

describe('originOf', () => {
  it('gives the app its own origin although app: is not a WHATWG special scheme', () => {
    expect(originOf('app://keydesk/index.html#/bookings/1')).toBe(APP);
    expect(originOf('https://example.com/a?b')).toBe('https://example.com');
    expect(originOf('not a url')).toBeNull();
    expect(originOf('')).toBeNull();
  });
});
