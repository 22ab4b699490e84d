import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretStorageRefused, encryptedSecretStore, plainFileSecretStore } from './secretStore';
import type { Encryptor } from './secretStore';

const dir = () => mkdtempSync(join(tmpdir(), 'kd-secrets-'));

/** Stands in for Electron's safeStorage: a reversible transform, with the backend Linux would report. */
function fakeSafeStorage(backend: string | null, available = true): Encryptor {
  return {
    available: async () => available,
    backend: () => backend,
    encrypt: async (s) => Buffer.from(s, 'utf8').reverse(),
    decrypt: async (b) => Buffer.from(b).reverse().toString('utf8'),
  };
}

describe('plain file secret store (HTTP fallback)', () => {
  it('keeps each secret in a file only this user may read, and says so', async () => {
    const path = join(dir(), 'secrets.json');
    const store = plainFileSecretStore(path);
    await store.set('stripe.test', 'sk_test_abc');
    expect(await store.get('stripe.test')).toBe('sk_test_abc');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(store.protection.kind).toBe('plain-file');
    expect(store.protection.sentence).toMatch(/unencrypted/);
    await store.delete('stripe.test');
    expect(await store.get('stripe.test')).toBeNull();
  });

  it('loses nothing when several secrets are saved at once', async () => {
    const store = plainFileSecretStore(join(dir(), 'secrets.json'));
    await Promise.all([store.set('stripe.test', 'sk_test_1'), store.set('relay.test', 'kdi_1'), store.set('stripe.live', 'sk_live_1'), store.set('relay.live', 'kdi_2')]);
    expect(await Promise.all([store.get('stripe.test'), store.get('relay.test'), store.get('stripe.live'), store.get('relay.live')])).toEqual(['sk_test_1', 'kdi_1', 'sk_live_1', 'kdi_2']);
  });
});

describe('encrypted secret store (Electron safeStorage)', () => {
  it('refuses the Linux plain-text backend unless the office allows it', async () => {
    const path = join(dir(), 'secrets.json');
    await expect(encryptedSecretStore(path, fakeSafeStorage('basic_text'), { platform: 'linux', allowPlainTextSecrets: false })).rejects.toThrow(SecretStorageRefused);
    await expect(encryptedSecretStore(path, fakeSafeStorage('basic_text'), { platform: 'linux', allowPlainTextSecrets: false })).rejects.toThrow(/keyring/);
    const allowed = await encryptedSecretStore(path, fakeSafeStorage('basic_text'), { platform: 'linux', allowPlainTextSecrets: true });
    expect(allowed.protection.kind).toBe('plain-file');
  });

  it('refuses when the OS offers no encryption at all', async () => {
    await expect(encryptedSecretStore(join(dir(), 's.json'), fakeSafeStorage(null, false), { platform: 'win32', allowPlainTextSecrets: true })).rejects.toThrow(/no secure storage/);
  });

  it('stores only ciphertext on disk with a keyring', async () => {
    const path = join(dir(), 'secrets.json');
    const store = await encryptedSecretStore(path, fakeSafeStorage('gnome_libsecret'), { platform: 'linux', allowPlainTextSecrets: false });
    expect(store.protection.kind).toBe('os-keychain');
    await store.set('stripe.live', 'sk_live_secretvalue');
    expect(readFileSync(path, 'utf8')).not.toContain('sk_live_secretvalue');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await store.get('stripe.live')).toBe('sk_live_secretvalue');
  });
});
