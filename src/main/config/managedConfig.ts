import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { MODES } from '../../shared/contract/app';

/**
 * The office's preset for mass installs: a JSON file in the system config folder, or the file
 * named by `--managed-config=<path>`. Every field it sets is locked: setup and Settings show it
 * and cannot change it. Validated with zod; a bad file stops the app with the reason (a counter
 * must not silently run with the wrong mode or relay).
 */
export const managedConfigSchema = z
  .object({
    mode: z.enum(MODES).optional(),
    relayUrl: z.url({ protocol: /^https?$/, message: 'relayUrl must be an http(s) address' }).optional(),
    /** The shop location this counter belongs to, as its name. */
    location: z.string().trim().min(1).max(80).optional(),
    currency: z
      .string()
      .regex(/^[a-z]{3}$/, { message: 'currency must be a three-letter ISO code in lower case, e.g. gbp' })
      .optional(),
    updateChannel: z.enum(['latest', 'beta']).optional(),
    /** Where updates are fetched from (electron-updater generic provider). */
    updateUrl: z.url({ protocol: /^https$/, message: 'updateUrl must be an https address' }).optional(),
    /** Linux without a keyring: store keys with safeStorage's plain-text backend anyway. */
    allowPlainTextSecrets: z.boolean().optional(),
  })
  .strict();
export type ManagedConfig = z.infer<typeof managedConfigSchema>;

export const LOCKABLE_FIELDS = ['mode', 'relayUrl', 'location', 'currency', 'updateChannel'] as const;
export type LockableField = (typeof LOCKABLE_FIELDS)[number];

export type LoadedManagedConfig = { config: ManagedConfig; source: string | null; locked: LockableField[] };

export class ManagedConfigError extends Error {}

/** The system config folder the office writes to (needs admin rights there, so a clerk cannot change it). */
export function systemManagedConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Keydesk', 'managed-config.json');
  if (platform === 'darwin') return '/Library/Application Support/Keydesk/managed-config.json';
  return '/etc/keydesk/managed-config.json';
}

/** `--managed-config=<path>` or `--managed-config <path>` from the command line. */
export function managedConfigFlag(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--managed-config=')) return a.slice('--managed-config='.length) || null;
    if (a === '--managed-config') return argv[i + 1] ?? null;
  }
  return null;
}

export function parseManagedConfig(text: string, source: string): ManagedConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ManagedConfigError(`The office configuration ${source} is not valid JSON. Call the office.`);
  }
  const parsed = managedConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new ManagedConfigError(`The office configuration ${source} is not valid (${why}). Call the office.`);
  }
  return parsed.data;
}

/** The flag wins over the system file; no file at all is an unmanaged install. A flag naming a missing file is an error. */
export function loadManagedConfig(opts: { argv?: readonly string[]; systemPath?: string } = {}): LoadedManagedConfig {
  const flag = managedConfigFlag(opts.argv ?? []);
  const path = flag ?? opts.systemPath ?? systemManagedConfigPath();
  if (!existsSync(path)) {
    if (flag) throw new ManagedConfigError(`The office configuration ${flag} given on the command line does not exist.`);
    return { config: {}, source: null, locked: [] };
  }
  const config = parseManagedConfig(readFileSync(path, 'utf8'), path);
  return { config, source: path, locked: LOCKABLE_FIELDS.filter((f) => config[f] !== undefined) };
}
