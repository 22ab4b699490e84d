import { safeStorage } from 'electron';
import type { Encryptor } from '../secrets/secretStore';

/** Electron's safeStorage (async API) as the secret store's encryptor: DPAPI, Keychain, libsecret or KWallet. */
export function safeStorageEncryptor(): Encryptor {
  return {
    available: () => safeStorage.isAsyncEncryptionAvailable(),
    backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null),
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    decrypt: async (cipher) => (await safeStorage.decryptStringAsync(cipher)).result,
  };
}
