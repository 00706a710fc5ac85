import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, InvalidCursorError, toPage } from './page.ts';

const id = '0b5e7c1e-3f3c-4a53-9a44-8d1c1b2f9a10';
const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('keyset cursors', () => {
  it('round-trips what the server issues: instants, packed numbers, UUID and integer ids', () => {
    const at = new Date('2026-12-03T16:50:12.345Z');
    expect(decodeCursor(encodeCursor(at, id))).toEqual({ sortKey: '2026-12-03T16:50:12.345Z', id });
    expect(decodeCursor(encodeCursor(1_00000000000000 + at.getTime(), '42'))).toEqual({ sortKey: String(1e14 + at.getTime()), id: '42' });
    const page = toPage([{ at, id }, { at, id }], 1, (r) => [r.at, r.id]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ sortKey: at.toISOString(), id });
  });

  it('refuses forged cursors: the largest JavaScript date, year 0, non-canonical times, unsafe numbers, bad ids', () => {
    const forged = [
      forge([new Date(8.64e15).toISOString(), id]), // +275760-09-13T00:00:00.000Z
      forge([new Date(-8.64e15).toISOString(), id]),
      forge(['0000-01-01T00:00:00.000Z', id]),
      forge(['9999-12-31', id]),
      forge(['2026-02-30T00:00:00.000Z', id]),
      forge(['2026-12-03T16:50:12+01:00', id]),
      forge(['Infinity', id]),
      forge(['99999999999999999', id]),
      forge(['-1', id]),
      forge(['2026-12-03T16:50:12.345Z', "1' OR '1'='1"]),
      forge(['2026-12-03T16:50:12.345Z\u0000', id]),
      forge({ sortKey: '2026-12-03T16:50:12.345Z', id }),
      'not base64 at all!',
      '',
    ];
    for (const cursor of forged) expect(() => decodeCursor(cursor), cursor).toThrow(InvalidCursorError);
  });
});
