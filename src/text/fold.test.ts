import { describe, expect, it } from 'vitest';
import { fold } from './fold.ts';

describe('fold', () => {
  it('lowercases and strips diacritics', () => {
    expect(fold('Fémur')).toBe('femur');
    expect(fold('SJÖGREN')).toBe('sjogren');
    expect(fold('Chest Pain')).toBe('chest pain');
  });
});
