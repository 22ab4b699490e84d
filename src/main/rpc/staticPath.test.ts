import { describe, expect, it } from 'vitest';
import { resolveInside } from './staticPath';

describe('resolveInside', () => {
  it('keeps paths inside the root', () => {
    expect(resolveInside('/app/renderer', '/assets/index.js')).toBe('/app/renderer/assets/index.js');
    expect(resolveInside('/app/renderer', 'index.html')).toBe('/app/renderer/index.html');
  });
  it('refuses traversal, encoded separators, NUL and the root itself', () => {
    for (const p of ['/../x', '/%2e%2e/x', '..%2f..%2fetc/passwd', '/a/../../x', '/%00', '/a%5c..%5c..%5cx', '/', '%E0%A4%A']) {
      expect(resolveInside('/app/renderer', p), p).toBeNull();
    }
  });
});
