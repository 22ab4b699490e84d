import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestShop } from '../../testing/testShop';
import type { TestShop } from '../../testing/testShop';

let shop: TestShop;
beforeEach(async () => {
  shop = await openTestShop();
});
afterEach(() => shop.close());

const storedCards = () => shop.b.db.prepare('SELECT version, card_json FROM rate_cards ORDER BY version').all() as { version: number; card_json: string }[];

describe('rates.update', () => {
  it('refuses a card with a __proto__ key, at the top or as a class code, and stores nothing', async () => {
    const { raw } = await shop.ok('rates.get', {});
    const before = storedCards();
    // JSON.parse makes __proto__ an own key, as a request body arriving over HTTP would.
    const topLevel = JSON.parse(`{"card": ${JSON.stringify(raw).replace(/^\{/, '{"__proto__": {"isAdmin": true},')}}`) as { card: typeof raw };
    expect(Object.keys(topLevel.card)).toContain('__proto__');
    const asClass = JSON.parse(JSON.stringify({ card: raw }).replace('"classes":{', '"classes":{"__proto__":{"name":"x","dailyRate":1,"lateHourlyRate":1},')) as { card: typeof raw };
    expect(Object.keys(asClass.card.classes)).toContain('__proto__');

    for (const input of [topLevel, asClass]) {
      const err = await shop.fail('rates.update', input, shop.manager);
      expect(err.code).toBe('invalid_input');
      expect(Object.keys(err.fields ?? {}).some((f) => f.startsWith('card'))).toBe(true);
    }
    expect(storedCards()).toEqual(before);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses a negative rate, naming the field, and the current card stays in use', async () => {
    const { raw, card } = await shop.ok('rates.get', {});
    const bad = structuredClone(raw);
    const code = Object.keys(bad.classes)[0]!;
    bad.classes[code]!.dailyRate = -100;
    const err = await shop.fail('rates.update', { card: bad }, shop.manager);
    expect(err.code).toBe('invalid_input');
    expect(err.fields?.[`card.classes.${code}.dailyRate`]).toBeTruthy();
    expect(storedCards()).toHaveLength(1);
    expect((await shop.ok('rates.get', {})).card.version).toBe(card.version);
  });

  it('stores the parsed card (defaults filled in, new version), never the text as sent', async () => {
    const { raw } = await shop.ok('rates.get', {});
    const sent = structuredClone(raw) as Record<string, unknown>;
    delete sent.weekendDays; // optional: the parsed card carries the default
    const saved = await shop.ok('rates.update', { card: sent as typeof raw }, shop.manager);
    expect(saved.card.version).toBe(2);
    const stored = JSON.parse(storedCards().at(-1)!.card_json) as Record<string, unknown>;
    expect(stored.weekendDays).toEqual([6, 7]);
    expect(stored.version).toBe(2);
    expect(saved.raw).toEqual(stored);
  });
});
