import { describe, expect, it } from 'vitest';
import { readingOf } from './reading';

describe('readingOf', () => {
  it('reads whole readings with or without group separators', () => {
    expect(readingOf('12345')).toBe(12345);
    expect(readingOf(' 12 345 ')).toBe(12345);
    expect(readingOf('12,345')).toBe(12345);
    expect(readingOf('1,234,567')).toBe(1234567);
  });

  it('passes fractions and negatives on for main to refuse by name', () => {
    expect(readingOf('12.5')).toBe(12.5);
    expect(readingOf('-4')).toBe(-4);
  });

  it('gives null for text that is not a number', () => {
    expect(readingOf('')).toBeNull();
    expect(readingOf('abc')).toBeNull();
    expect(readingOf('12km')).toBeNull();
  });
});
