import { describe, expect, it } from 'vitest';
import { createSseParser } from './sseParser';

describe('createSseParser', () => {
  it('parses ids, event names, multi-line data and ignores comments and retry', () => {
    const p = createSseParser();
    const out = p.push(': hello\nretry: 10\nid: 7\nevent: stripe\ndata: {"a":1}\n\ndata: one\ndata: two\n\n');
    expect(out).toEqual([
      { event: 'stripe', id: '7', data: '{"a":1}' },
      { event: 'message', id: null, data: 'one\ntwo' },
    ]);
  });

  it('reassembles frames and CRLF line ends split across chunks', () => {
    const p = createSseParser();
    const text = 'id: 1\r\nevent: stripe\r\ndata: {"x":"y"}\r\n\r\nid: 2\rdata: z\r\r';
    const got = [];
    for (let i = 0; i < text.length; i += 3) got.push(...p.push(text.slice(i, i + 3)));
    expect(got).toEqual([
      { event: 'stripe', id: '1', data: '{"x":"y"}' },
      { event: 'message', id: '2', data: 'z' },
    ]);
    expect(p.buffered).toBe(0);
  });

  it('does not dispatch an event without data, and holds an unfinished one', () => {
    const p = createSseParser();
    expect(p.push('event: heartbeat\n\n')).toEqual([]);
    expect(p.push('data: partial')).toEqual([]);
    expect(p.buffered).toBe('data: partial'.length);
    expect(p.push('\n\n')).toEqual([{ event: 'message', id: null, data: 'partial' }]);
  });
});
