import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { LoadedManagedConfig } from '../config/managedConfig';
import type { Logger } from '../log';
import { createUpdateGate, shiftIsOpen } from '../updates/updateGate';
import type { UpdateGate } from '../updates/updateGate';
import type { Db } from '../db/connection';
import { elog } from './fileLog';

const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;
const RETRY_EVERY_MS = 60 * 1000;

/**
 * electron-updater with the generic provider (electron-builder.yml's `publish`, or the office's
 * `updateUrl`): checks in the background, downloads, and installs only when no shift is open;
 * otherwise on quit, so at the latest at the next start. Only in a packaged app.
 */
export function startUpdater(deps: { managed: LoadedManagedConfig; db: () => Db; log: Logger }): { gate: UpdateGate; stop(): void } | null {
  if (!app.isPackaged) return null;
  const { autoUpdater } = electronUpdater;
  const { updateChannel, updateUrl } = deps.managed.config;
  if (updateUrl) autoUpdater.setFeedURL({ provider: 'generic', url: updateUrl, channel: updateChannel ?? 'latest' });
  autoUpdater.channel = updateChannel ?? 'latest';
  autoUpdater.allowDowngrade = false;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.logger = elog;
  const gate = createUpdateGate({
    shiftOpen: () => shiftIsOpen(deps.db()),
    install: () => autoUpdater.quitAndInstall(true, true),
    log: deps.log,
  });
  autoUpdater.on('update-downloaded', (info) => gate.downloaded(info.version));
  autoUpdater.on('error', (err) => deps.log.warn('update.failed', { error: err instanceof Error ? err.message : String(err) }));
  const check = () => void autoUpdater.checkForUpdates().catch((err: unknown) => deps.log.warn('update.check_failed', { error: String(err) }));
  check();
  const checking = setInterval(check, CHECK_EVERY_MS);
  const retrying = setInterval(() => gate.retry(), RETRY_EVERY_MS);
  return {
    gate,
    stop() {
      clearInterval(checking);
      clearInterval(retrying);
    },
  };
}
