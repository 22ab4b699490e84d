import { createHash, randomBytes } from 'node:crypto';

export type TokenKind = 'install' | 'admin';

const PREFIX: Record<TokenKind, string> = { install: 'kdr_', admin: 'kda_' };

/** 256 random bits; the prefix tells a leaked token's kind at a glance (and lets logs redact it). */
export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

/** Tokens are high-entropy, so a plain SHA-256 is enough to keep the database useless to a thief. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `Authorization: Bearer <token>` → the token, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(header);
  return m ? m[1]! : null;
}
