import type { PartialHandlerTable } from '../../core/handlers';
import type { SettingsService } from './settingsService';

export function settingsHandlers(settings: SettingsService): PartialHandlerTable {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch, ctx) => settings.update(patch, ctx),
  };
}
