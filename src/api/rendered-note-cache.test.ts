import { describe, expect, it } from 'vitest';
import { RenderedNoteCache } from './rendered-note-cache.ts';

describe('RenderedNoteCache', () => {
  it('answers only for the row version it was given', () => {
    const cache = new RenderedNoteCache(1024);
    cache.set('n1', 'v1', '{"a":1}');
    expect(cache.get('n1', 'v1')).toBe('{"a":1}');
    expect(cache.get('n1', 'v2')).toBeUndefined();
    expect(cache.get('n2', 'v1')).toBeUndefined();
    cache.set('n1', 'v2', '{"a":2}');
    expect(cache.get('n1', 'v1')).toBeUndefined();
    expect(cache.get('n1', 'v2')).toBe('{"a":2}');
  });

  it('holds at most its byte bound, dropping the least recently used body first', () => {
    const body = 'x'.repeat(100); // 200 bytes in memory
    const cache = new RenderedNoteCache(450);
    cache.set('a', 'v', body);
    cache.set('b', 'v', body);
    expect(cache.get('a', 'v')).toBe(body); // a is now the most recently used
    cache.set('c', 'v', body);
    expect(cache.get('b', 'v')).toBeUndefined();
    expect(cache.get('a', 'v')).toBe(body);
    expect(cache.get('c', 'v')).toBe(body);
    cache.set('huge', 'v', 'x'.repeat(300));
    expect(cache.get('huge', 'v')).toBeUndefined();
    expect(cache.get('a', 'v')).toBe(body);
  });
});
