import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noteSchema, requiredText, STORED_FILE_REF, storedFileRefSchema } from './fields';

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const name = requiredText('First name', 60);
const note = noteSchema('Notes', 2000);

/** Characters the rule must refuse: C0/C1 controls, zero-width, bidi overrides and isolates, BOM, separators. */
const bad = fc.constantFrom('\u0000', '\u0007', '\u001b', '\t', '\u007f', '\u0085', '\u200b', '\u200c', '\u200d', '\u200e', '\u202e', '\u2066', '\u2069', '\ufeff', '\u00ad', '\u2028', '\u2029');
const visible = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !FORBIDDEN.test(s) && s.trim().length > 0);

describe('the one text rule', () => {
  it('whatever arrives, what is accepted is NFC, trimmed, free of control and format characters, not blank, and within the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const r = name.safeParse(s);
        if (!r.success) return;
        expect(r.data).toBe(r.data.normalize('NFC'));
        expect(r.data).toBe(r.data.trim());
        expect(FORBIDDEN.test(r.data)).toBe(false);
        expect(r.data.length).toBeGreaterThan(0);
        expect(r.data.length).toBeLessThanOrEqual(60);
        // Applying the rule again changes nothing.
        expect(name.parse(r.data)).toBe(r.data);
      }),
      { numRuns: 2000 },
    );
  });

  it('one forbidden character anywhere in an otherwise good name is refused', () => {
    fc.assert(
      fc.property(visible, bad, fc.nat(), (good, b, at) => {
        const i = at % (good.length + 1);
        const s = good.slice(0, i) + b + good.slice(i);
        // Leading/trailing whitespace controls (tab) are trimmed away rather than refused.
        if (s.trim() !== s) return;
        expect(name.safeParse(s).success).toBe(false);
      }),
    );
  });

  it('only invisible characters count as empty', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '\u200b', '\u200b', '\u2060', '\ufeff', '\u3164', '\u00a0', '\u3000'), { minLength: 1, maxLength: 10 }), (chars) => {
        const r = name.safeParse(chars.join(''));
        expect(r.success).toBe(false);
        if (!r.success) expect(r.error.issues[0]?.message).toBe('First name cannot be empty');
      }),
    );
  });

  it('notes keep line breaks (CR LF becomes LF) and refuse every other control or format character', () => {
    fc.assert(
      fc.property(fc.array(visible, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const r = note.safeParse(lines.join(eol));
        expect(r.success).toBe(true);
        if (r.success) {
          expect(r.data).not.toMatch(/\r/);
          expect(r.data.split('\n').length).toBe(lines.join(eol).split(/\r\n?|\n/).length);
        }
      }),
    );
    fc.assert(
      fc.property(visible, bad, (good, b) => {
        expect(note.safeParse(`${good}${b}x`).success).toBe(false);
      }),
    );
  });

  it('decomposed input is stored composed', () => {
    expect(name.parse('Zoe\u0301')).toBe('Zoé');
    expect(name.parse('Zoe\u0301')).toHaveLength(3);
  });
});

describe('stored file refs', () => {
  it('accept only <folder>/<name>.<png|jpg> and never a path out of the data folder', () => {
    const sig = storedFileRefSchema('signatures', 'Signature');
    expect(sig.safeParse('signatures/01JX-01JY.png').success).toBe(true);
    for (const s of ['/etc/passwd', 'signatures/../../etc/passwd', '..\\..\\x.png', 'C:\\x.png', 'signatures/a/b.png', 'file:///etc/passwd', 'photos/a.png', 'signatures/.png', 'signatures/a.png\u0000']) {
      expect(sig.safeParse(s).success, s).toBe(false);
    }
    // Names built from path-ish characters: whatever the rule accepts stays one file in the folder.
    const pathy = fc.string({ unit: fc.constantFrom('a', '1', '-', '_', '.', '/', '\\', ':', '%', ' '), maxLength: 12 });
    fc.assert(
      fc.property(fc.constantFrom('signatures/', 'photos/', '/', '', '../'), pathy, fc.constantFrom('.png', '.jpg', '', '.png/..'), (dir, base, ext) => {
        const ref = dir + base + ext;
        if (!STORED_FILE_REF.test(ref)) return;
        expect(ref.split('/')).toHaveLength(2);
        expect(/\.\.|\\|:|%|^\//.test(ref)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
