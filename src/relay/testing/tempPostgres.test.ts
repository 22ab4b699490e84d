import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPostgresBin } from './tempPostgres';

describe('finding PostgreSQL for the tests', () => {
  const root = mkdtempSync(join(tmpdir(), 'pg-find-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const major = (m: string, files: string[]) => {
    mkdirSync(join(root, m, 'bin'), { recursive: true });
    for (const f of files) writeFileSync(join(root, m, 'bin', f), '');
  };

  it('takes the newest installed major version that has initdb and pg_ctl, whatever its number', () => {
    expect(findPostgresBin(root)).toBe(null);
    major('13', ['initdb', 'pg_ctl']);
    major('17', ['psql']); // client only: no server here
    major('9', ['initdb', 'pg_ctl']);
    expect(findPostgresBin(root)).toBe(join(root, '13', 'bin'));
    major('16', ['initdb', 'pg_ctl']);
    expect(findPostgresBin(root)).toBe(join(root, '16', 'bin'));
    expect(findPostgresBin(join(root, 'missing'))).toBe(null);
  });
});
