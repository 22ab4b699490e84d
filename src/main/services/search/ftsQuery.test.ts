import { describe, expect, it } from 'vitest';
import { buildFtsQuery } from './ftsQuery';

describe('buildFtsQuery', () => {
  it('turns each term into a quoted prefix and ANDs them', () => {
    expect(buildFtsQuery('jan  de vries')).toBe('"jan"* AND "de"* AND "vries"*');
  });
  it('drops the KD- of a booking ref', () => {
    expect(buildFtsQuery('KD-7F3')).toBe('"7F3"*');
    expect(buildFtsQuery('kd7f3k9')).toBe('"7f3k9"*');
    expect(buildFtsQuery('KD-')).toBeNull();
  });
  it('also reads a phone-looking query as one run of digits without the trunk 0', () => {
    expect(buildFtsQuery('06 1234 5678')).toBe('(phone : "612345678"*) OR ("06"* AND "1234"* AND "5678"*)');
    expect(buildFtsQuery('+31 6')).toBe('(phone : "316"*) OR ("+31"* AND "6")');
  });
  it('quotes FTS syntax so it is only text', () => {
    expect(buildFtsQuery('"')).toBeNull();
    expect(buildFtsQuery('a"b')).toBe('("a b" OR "ab"*)');
    expect(buildFtsQuery('NEAR(x')).toBe('("NEAR x" OR "NEARx"*)');
    expect(buildFtsQuery('say "hi"')).toBe('"say"* AND """hi"""*');
    expect(buildFtsQuery('- * ^ : ( )')).toBeNull();
  });
});

describe('terms with inner punctuation', () => {
  it('search the phrase of their parts or the compact token (plates, licences)', () => {
    expect(buildFtsQuery('GH-12')).toBe('("GH 12"* OR "GH12"*)');
    expect(buildFtsQuery('PJ-5')).toBe('("PJ 5" OR "PJ5"*)');
    expect(buildFtsQuery('jan.jansen@ex')).toBe('("jan jansen ex"* OR "janjansenex"*)');
  });
});

describe('one-character terms', () => {
  it('match a whole token, not every word starting with that letter', () => {
    expect(buildFtsQuery('a')).toBe('"a"');
    expect(buildFtsQuery('jan d')).toBe('"jan"* AND "d"');
  });
});
