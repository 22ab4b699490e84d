import type { Migration } from '../migrate';
import { m0010SettingsAudit } from './0010-settings-audit';

/** Every schema step, in order. Add new files at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [m0010SettingsAudit];
