import { describe, expect, it } from 'vitest';
import { balanceDue } from './bookingView';

describe('balance due', () => {
  it('is what is left to take on a live booking', () => {
    expect(balanceDue('reserved', 30960, 0, 0)).toBe(30960);
    expect(balanceDue('returned', 30960, 30960, 0)).toBe(0);
    expect(balanceDue('returned', 30960, 30960, 1000)).toBe(1000);
  });
  it('is nothing on a cancelled or no-show booking, and negative when money was taken', () => {
    expect(balanceDue('cancelled', 45120, 0, 0)).toBe(0);
    expect(balanceDue('no_show', 45120, 0, 0)).toBe(0);
    expect(balanceDue('cancelled', 45120, 10000, 0)).toBe(-10000);
  });
});
