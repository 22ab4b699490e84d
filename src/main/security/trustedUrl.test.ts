import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl, isTrustedUrl } from './trustedUrl';

describe('isTrustedUrl', () => {
  it('trusts only the app origin, and the dev server when one is running', () => {
    expect(isTrustedUrl('app://keydesk/index.html')).toBe(true);
    expect(isTrustedUrl('app://evil/index.html')).toBe(false);
    expect(isTrustedUrl('https://keydesk/')).toBe(false);
    expect(isTrustedUrl('file:///etc/passwd')).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/')).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/x', 'http://localhost:5173')).toBe(true);
    expect(isTrustedUrl('http://localhost:5174/x', 'http://localhost:5173')).toBe(false);
    expect(isTrustedUrl('not a url')).toBe(false);
    expect(isTrustedUrl(undefined)).toBe(false);
  });

  it('sends only https links to the system browser', () => {
    expect(isSafeExternalUrl('https://stripe.com/docs')).toBe(true);
    for (const u of ['http://x.test', 'file:///c:/windows', 'javascript:alert(1)', 'smb://host/share']) expect(isSafeExternalUrl(u)).toBe(false);
  });
});
