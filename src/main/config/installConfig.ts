import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { MODES } from '../../shared/contract/app';
import type { Mode } from '../../shared/contract/app';
import type { LoadedManagedConfig } from './managedConfig';

/**
 * What setup decided for this counter, kept beside the databases (no secrets: those are in the
 * secret store). Absent → first run. Managed config overrides the fields it locks.
 */
export const installConfigSchema = z.object({
  mode: z.enum(MODES),
  /** Setup finished (or was skipped into demo); false → show setup on start. */
  setupDone: z.boolean(),
  relayUrl: z.string().default(''),
  reader: z.enum(['simulated', 'server-driven', 'terminal-js']).default('simulated'),
  readerId: z.string().nullable().default(null),
});
export type InstallConfig = z.infer<typeof installConfigSchema>;

export const INSTALL_FILE = 'install.json';

export function readInstallConfig(dataDir: string): InstallConfig | null {
  const path = join(dataDir, INSTALL_FILE);
  if (!existsSync(path)) return null;
  const parsed = installConfigSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`This counter's setup file ${path} is damaged; delete it and run setup again.`);
  return parsed.data;
}

export function writeInstallConfig(dataDir: string, config: InstallConfig): void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, INSTALL_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(config, null, 2));
  renameSync(`${path}.tmp`, path);
}

/** Each mode keeps its own database, so test payments never mix with live takings. Demo keeps the original name. */
export function dbFileForMode(mode: Mode): string {
  return mode === 'demo' ? 'keydesk.sqlite' : `keydesk-${mode}.sqlite`;
}

/** The mode to start in: the office's lock first, then what setup chose, else demo. */
export function effectiveMode(install: InstallConfig | null, managed: LoadedManagedConfig): Mode {
  return managed.config.mode ?? install?.mode ?? 'demo';
}

/** The relay address to use: the office's lock first, then setup's. */
export function effectiveRelayUrl(install: InstallConfig | null, managed: LoadedManagedConfig): string {
  return managed.config.relayUrl ?? install?.relayUrl ?? '';
}
