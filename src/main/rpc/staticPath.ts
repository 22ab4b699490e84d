import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Resolves a URL path inside `root`, or null when it would escape it (`..`, encoded
 * separators, absolute paths, NUL). Shared by the HTTP transport and the app:// protocol.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const base = resolve(root);
  const target = resolve(base, '.' + sep + decoded.replace(/^\/+/, ''));
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return target;
}
