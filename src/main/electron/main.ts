import { BrowserWindow, app, ipcMain, net, protocol, session, shell } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { Logger } from '../log';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/bridge';
import { DEFAULT_MESSAGES } from '../../shared/errors';
import type { Backend } from '../backend';
import { startAppHost } from '../appHost';
import type { AppHost } from '../appHost';
import { loadManagedConfig } from '../config/managedConfig';
import { encryptedSecretStore } from '../secrets/secretStore';
import { createFileLog } from './fileLog';
import { safeStorageEncryptor } from './safeStorageEncryptor';
import { startUpdater } from './updater';
import { installLastResort } from '../lastResort';
import { createMainErrorTally } from '../mainErrors';
import { readInstallConfig } from '../config/installConfig';
import { decidePermission, originOf } from './permissions';
import type { PermissionSettings } from './permissions';
import { handlePrinting } from './printing';
import { RENDERER_CSP, rendererCsp } from '../rpc/httpTransport';
import { resolveInside } from '../rpc/staticPath';
import { APP_ORIGIN, isSafeExternalUrl, isTrustedUrl } from '../security/trustedUrl';
import { APP_VERSION } from '../version';

// Must run before `ready`: app:// behaves like a secure, standard origin for fetch and storage.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererDir = join(import.meta.dirname, '../renderer');
let mainApp: AppHost | null = null;
let mainWindow: BrowserWindow | null = null;
let updater: ReturnType<typeof startUpdater> = null;
// Errors that escaped every handler, counted for app.status (`main.errors`) for the whole process.
const mainErrors = createMainErrorTally();

// One Keydesk per computer account: a second launch focuses the first window instead of opening
// the same database and secret store twice.
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();
app.on('second-instance', () => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

function serveAppProtocol(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'keydesk' ? resolveInside(rendererDir, url.pathname === '/' ? 'index.html' : url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    // Locked, except that the terminal-js reader mode opens its SDK's origin (the HTTP transport does the same).
    headers.set('Content-Security-Policy', mainApp ? rendererCsp(mainApp.backend.payments.api.terminalCsp()) : RENDERER_CSP);
    return new Response(res.body, { status: res.status, headers });
  });
}

/** Only the app's own top frame in its own window may call main. */
function fromOwnWindow(event: IpcMainInvokeEvent): boolean {
  return mainWindow !== null && event.sender === mainWindow.webContents && event.senderFrame?.parent === null && isTrustedUrl(event.senderFrame.url, devServerUrl);
}

/**
 * Every permission goes through `decidePermission` (permissions.ts, tested): the camera for the
 * app's own page, local network for a terminal-js reader, nothing else. Only the main window
 * asks; the reader setting and the mode are read at each decision (setup can change both).
 */
function installPermissionHandlers(dataDir: string, log: Logger): void {
  const settings = (): PermissionSettings => {
    let reader: PermissionSettings['reader'] = 'simulated';
    try {
      reader = readInstallConfig(dataDir)?.reader ?? 'simulated';
    } catch {
      // An unreadable setup file grants nothing extra.
    }
    return { reader, mode: mainApp?.backend.info().mode ?? 'demo', devServerUrl };
  };
  const ownWindow = (wc: WebContents | null) => wc !== null && mainWindow !== null && !mainWindow.isDestroyed() && wc === mainWindow.webContents;
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback, details) => {
    const origin = originOf(details.requestingUrl);
    const decision = ownWindow(wc)
      ? decidePermission(permission, origin, { isMainFrame: details.isMainFrame, mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined }, settings())
      : { grant: false, why: 'not the app window' };
    const record = { permission, origin, granted: decision.grant, why: decision.why };
    if (decision.grant) log.info('permission.request', record);
    else log.warn('permission.request', record);
    callback(decision.grant);
  });
  session.defaultSession.setPermissionCheckHandler((wc, permission, requestingOrigin, details) => {
    if (!ownWindow(wc)) return false;
    return decidePermission(permission, requestingOrigin, { isMainFrame: details.isMainFrame, mediaType: details.mediaType, embeddingOrigin: details.embeddingOrigin }, settings()).grant;
  });
}

function createWindow(b: Backend): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: `Keydesk — ${b.info().mode} mode`,
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // A crashed or killed renderer is reloaded: main keeps the session, the database and the jobs,
  // so the clerk is back where the counter was (bounded, so a crash loop ends in a visible error).
  let crashes = 0;
  win.webContents.on('render-process-gone', (_e, details) => {
    b.log.error('renderer.gone', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason === 'clean-exit' || win.isDestroyed() || ++crashes > 5) return;
    win.webContents.reload();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, devServerUrl)) event.preventDefault();
  });
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  serveAppProtocol();
  // KEYDESK_DATA_DIR lets tests and a second counter profile use their own folder.
  const dataDir = process.env.KEYDESK_DATA_DIR ?? app.getPath('userData');
  const log = createFileLog(dataDir);
  installPermissionHandlers(dataDir, log);
  try {
    const managed = loadManagedConfig({ argv: process.argv });
    mainApp = await startAppHost({
      dataDir,
      version: APP_VERSION,
      transport: 'electron',
      log,
      managed,
      // Keys are encrypted by the OS; Linux's plain-text fallback only if the office allows it.
      openSecrets: (m) => encryptedSecretStore(join(dataDir, 'secrets.json'), safeStorageEncryptor(), { platform: process.platform, allowPlainTextSecrets: m.config.allowPlainTextSecrets === true }),
      offerSetupOnFirstRun: true,
      extraJobs: [mainErrors.job],
    });
    const host = mainApp;
    updater = startUpdater({ managed, db: () => host.backend.db, log });
  } catch (err) {
    const { dialog } = await import('electron');
    dialog.showErrorBox('Keydesk cannot start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }
  const b: Backend = mainApp.backend;
  installLastResort(process, b.log, mainErrors.record);
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, method: unknown, input: unknown) => {
    if (!fromOwnWindow(event)) {
      b.log.warn('ipc.untrusted_sender', { url: event.senderFrame?.url ?? null });
      return { ok: false, error: { code: 'forbidden', message: DEFAULT_MESSAGES.forbidden } };
    }
    return b.call(b.session.context('ipc'), method, input);
  });
  handlePrinting({ backend: b, window: () => mainWindow, fromOwnWindow });
  b.events.subscribe((name, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  mainWindow = createWindow(b);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => app.quit());
let quitting = false;
app.on('before-quit', (event) => {
  // Stop the sync client and the demo servers cleanly before the process goes.
  if (!mainApp || quitting) return;
  quitting = true;
  event.preventDefault();
  const closing = mainApp;
  mainApp = null;
  updater?.stop();
  void closing.close().finally(() => app.quit());
});

if (primary) void start();
