import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** The secrets one counter keeps: the Stripe secret key and the office relay's install token, per mode. */
export const SECRET_NAMES = ['stripe.test', 'stripe.live', 'relay.test', 'relay.live'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/**
 * How secrets are kept at rest, as a manager is told in Settings and in setup:
 * - `os-keychain`: encrypted by the operating system (Electron safeStorage: DPAPI, Keychain, libsecret/kwallet);
 * - `plain-file`: a file only this user may read (HTTP fallback, or Linux without a keyring when the office allows it).
 */
export type SecretProtection = { kind: 'os-keychain' | 'plain-file'; sentence: string };

/** The adapter main owns: nothing else reads or writes secret files. Values never leave main. */
export type SecretStore = {
  readonly protection: SecretProtection;
  get(name: SecretName): Promise<string | null>;
  set(name: SecretName, value: string): Promise<void>;
  delete(name: SecretName): Promise<void>;
};

/**
 * What Electron's safeStorage gives main (implemented in `src/main/electron/`, the only place that
 * imports electron). `backend` is safeStorage's selected backend on Linux (`basic_text` = no keyring).
 */
export type Encryptor = {
  available(): Promise<boolean>;
  backend(): string | null;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(cipher: Buffer): Promise<string>;
};

export class SecretStorageRefused extends Error {}

const fileSchema = z.record(z.string(), z.string());

function readJson(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`The secrets file ${path} is damaged; run setup again to store the keys.`);
  return parsed.data;
}

/** Whole-file replace, readable by this user only (0600): a crash mid-write never leaves half a file. */
function writeJson(path: string, data: Record<string, string>): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Serialises writes: two setup calls at once must not lose one another's secret. */
function queue(): <T>(fn: () => Promise<T> | T) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
}

/**
 * The HTTP fallback's store (no Electron, so no OS keychain): a JSON file readable only by the
 * user running Keydesk. Said plainly wherever the protection is shown.
 */
export function plainFileSecretStore(path: string): SecretStore {
  const serial = queue();
  return {
    protection: { kind: 'plain-file', sentence: `Keys are kept unencrypted in ${path}, readable only by this computer account.` },
    get: async (name) => readJson(path)[name] ?? null,
    set: (name, value) => serial(() => writeJson(path, { ...readJson(path), [name]: value })),
    delete: (name) =>
      serial(() => {
        const data = readJson(path);
        delete data[name];
        if (Object.keys(data).length === 0) rmSync(path, { force: true });
        else writeJson(path, data);
      }),
  };
}

/**
 * Secrets encrypted by the OS through safeStorage, kept base64 in a 0600 file. On Linux without a
 * keyring safeStorage falls back to a hard-coded password (`basic_text`): refused unless the office
 * opted in with `allowPlainTextSecrets` (managed config), because that is plain text in disguise.
 */
export async function encryptedSecretStore(path: string, enc: Encryptor, opts: { platform: NodeJS.Platform; allowPlainTextSecrets: boolean }): Promise<SecretStore> {
  if (!(await enc.available())) throw new SecretStorageRefused('This computer offers no secure storage for keys, so Keydesk will not store the Stripe key here. Call the office.');
  const weak = opts.platform === 'linux' && (enc.backend() === 'basic_text' || enc.backend() === 'unknown');
  if (weak && !opts.allowPlainTextSecrets) {
    throw new SecretStorageRefused(
      'This Linux desktop has no keyring (GNOME Keyring or KWallet), so the Stripe key could only be stored as plain text. Install a keyring, or ask the office to allow plain-text keys in the managed configuration.',
    );
  }
  const serial = queue();
  return {
    protection: weak
      ? { kind: 'plain-file', sentence: `No keyring on this computer: the office allowed keys kept effectively unencrypted in ${path}, readable only by this account.` }
      : { kind: 'os-keychain', sentence: 'Keys are encrypted by the operating system’s keychain for this computer account.' },
    async get(name) {
      const stored = readJson(path)[name];
      return stored === undefined ? null : enc.decrypt(Buffer.from(stored, 'base64'));
    },
    set: (name, value) =>
      serial(async () => {
        const cipher = (await enc.encrypt(value)).toString('base64');
        writeJson(path, { ...readJson(path), [name]: cipher });
      }),
    delete: (name) =>
      serial(() => {
        const data = readJson(path);
        delete data[name];
        writeJson(path, data);
      }),
  };
}
