import { afterEach, describe, expect, it } from 'vitest';
import { findPostgresBin, postgresUnavailableReason } from '../support/tempPostgres';

describe('finding a PostgreSQL server for the tests', () => {
  const saved = process.env.KEYDESK_PG_BIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.KEYDESK_PG_BIN;
    else process.env.KEYDESK_PG_BIN = saved;
  });

  it('says why it cannot run when the configured folder has no server', () => {
    process.env.KEYDESK_PG_BIN = '/nonexistent/pg/bin';
    expect(findPostgresBin()).toEqual({ missing: expect.stringContaining('/nonexistent/pg/bin') });
    expect(postgresUnavailableReason()).toMatch(/KEYDESK_PG_BIN=\/nonexistent\/pg\/bin has no initdb/);
  });

  it('finds whichever major version is installed under /usr/lib/postgresql, or says none is', () => {
    delete process.env.KEYDESK_PG_BIN;
    const found = findPostgresBin();
    if ('bin' in found) expect(found.bin).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin$/);
    else expect(found.missing).toMatch(/PostgreSQL|postgresql/);
  });
});
