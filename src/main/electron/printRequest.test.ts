import { describe, expect, it } from 'vitest';
import { defaultPdfPath, oneAtATime, parsePrintRequest, pdfFileName, printOutcome, saveFailure, withPdfExtension } from './printRequest';
import { newId } from '../core/ids';

describe('parsePrintRequest', () => {
  const id = newId();
  it('takes a receipt or an agreement, to print or to save', () => {
    expect(parsePrintRequest({ kind: 'receipt', bookingId: id, pdf: false })).toEqual({ ok: true, value: { kind: 'receipt', bookingId: id, pdf: false } });
    expect(parsePrintRequest({ kind: 'agreement', bookingId: id, pdf: true })).toEqual({ ok: true, value: { kind: 'agreement', bookingId: id, pdf: true } });
  });

  it('refuses anything else with a sentence per field', () => {
    const bad = [null, 'receipt', 42, [], {}, { kind: 'invoice', bookingId: id, pdf: false }, { kind: 'receipt', bookingId: '../../etc/passwd', pdf: false }, { kind: 'receipt', bookingId: id, pdf: 'yes' }, { kind: 'receipt', bookingId: id, pdf: false, path: '/tmp/x.pdf' }];
    for (const raw of bad) {
      const r = parsePrintRequest(raw);
      expect(r.ok, JSON.stringify(raw)).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
    }
    const r = parsePrintRequest({ kind: 'invoice', bookingId: id, pdf: false });
    expect(r.ok ? null : r.fields.kind).toBe('Choose what to print: the receipt or the rental agreement.');
  });
});

describe('PDF file names', () => {
  it('names the document and the booking reference, in Documents', () => {
    expect(pdfFileName('receipt', 'KD-7F3K9')).toBe('Keydesk receipt KD-7F3K9.pdf');
    expect(pdfFileName('agreement', 'KD-7F3K9')).toBe('Keydesk rental agreement KD-7F3K9.pdf');
    expect(defaultPdfPath('/home/clerk/Documents', 'receipt', 'KD-7F3K9')).toBe('/home/clerk/Documents/Keydesk receipt KD-7F3K9.pdf');
  });

  it('never lets a reference leave the folder or break the name', () => {
    expect(pdfFileName('receipt', '../../etc/passwd')).toBe('Keydesk receipt etc-passwd.pdf');
    expect(pdfFileName('receipt', 'KD:1\u0000\n<x>')).toBe('Keydesk receipt KD-1-x.pdf');
    expect(pdfFileName('receipt', '')).toBe('Keydesk receipt booking.pdf');
    expect(pdfFileName('receipt', 'x'.repeat(500)).length).toBeLessThan(90);
  });

  it('adds .pdf when the dialog gives a bare name', () => {
    expect(withPdfExtension('/tmp/receipt')).toBe('/tmp/receipt.pdf');
    expect(withPdfExtension('/tmp/Receipt.PDF')).toBe('/tmp/Receipt.PDF');
  });
});

describe('printOutcome', () => {
  it('a cancelled dialog is not a failure; a failed job says so', () => {
    expect(printOutcome(true, '')).toEqual({ done: 'printed' });
    expect(printOutcome(false, 'Print job canceled')).toEqual({ done: 'cancelled' });
    const failed = printOutcome(false, 'Print job failed');
    expect(failed.done).toBe('failed');
    expect(failed.done === 'failed' && failed.message).toContain('Print job failed');
  });
});

describe('saveFailure', () => {
  it('tells a full disk, a read-only disk and a refused folder apart', () => {
    expect(saveFailure(Object.assign(new Error('x'), { code: 'ENOSPC' }), '/m/a.pdf')).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/disk is full/) });
    expect(saveFailure(Object.assign(new Error('x'), { code: 'EROFS' }), '/m/a.pdf').code).toBe('disk_read_only');
    expect(saveFailure(Object.assign(new Error('x'), { code: 'EACCES' }), '/m/a.pdf').message).toMatch(/may not write to \/m\/a.pdf/);
    expect(saveFailure('weird', '/m/a.pdf').code).toBe('disk_error');
  });
});

describe('oneAtATime', () => {
  it('answers busy to a request made while one is open, and takes the next one after', async () => {
    const gate = oneAtATime(() => 'busy');
    let release!: () => void;
    const first = gate(() => new Promise<string>((r) => (release = () => r('printed'))));
    const second = await gate(async () => 'printed twice');
    expect(second).toBe('busy');
    release();
    expect(await first).toBe('printed');
    await expect(gate(() => Promise.reject(new Error('dialog crashed')))).rejects.toThrow('dialog crashed');
    expect(await gate(async () => 'printed again')).toBe('printed again');
  });
});
