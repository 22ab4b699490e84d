import type { Settings } from '../../../shared/contract/settings';
import type { Db } from '../../db/connection';
import type { ModuleWithApi } from '../../core/module';
import { settingsHandlers } from './settingsHandlers';
import { createSettingsService } from './settingsService';
import type { SettingsService } from './settingsService';

export type { SettingsService } from './settingsService';
export { readSettingRows, writeSetting } from './settingsRepo';

/** The shop's settings (time zone, locale, turnaround): read by most capabilities through `api`. */
export function createSettingsModule(deps: { db: Db; installId: string; onChange: (s: Settings) => void; defaults?: Partial<Settings> }): ModuleWithApi<SettingsService> {
  const settings = createSettingsService(deps.db, deps.installId, deps.onChange, deps.defaults);
  return { name: 'settings', handlers: settingsHandlers(settings), api: settings };
}
