/** Keyset pagination shared by every list: stable under inserts, no OFFSET scans. */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** Raised for a cursor this server did not issue. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UUID = new RegExp(`^${UUID_SOURCE}$`, 'i');
// Row ids are UUIDs or (audit events) integers.
const ROW_ID = new RegExp(`^(${UUID_SOURCE}|\\d{1,18})$`, 'i');

/** Whether a string is a row id of the UUID kind (checked before a query, so a typo is not a database error). */
export const isUuid = (value: string) => UUID.test(value);

/** A cursor encodes the sort key of the last row: an ISO time (or number) and an id. */
export function encodeCursor(sortKey: Date | string | number, id: string): string {
  const key = sortKey instanceof Date ? sortKey.toISOString() : String(sortKey);
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

// Sort keys this server writes: a Date's toISOString() (four-digit year) or a non-negative safe integer.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PACKED_NUMBER = /^\d{1,16}$/;

/** Whether a decoded sort key is one `encodeCursor` could have written (a real instant, or a safe integer). */
function isIssuedSortKey(key: string): boolean {
  if (PACKED_NUMBER.test(key)) return Number.isSafeInteger(Number(key));
  if (!ISO_INSTANT.test(key) || key.startsWith('0000')) return false; // PostgreSQL has no year 0
  const time = Date.parse(key);
  return !Number.isNaN(time) && new Date(time).toISOString() === key;
}

/**
 * Decodes a cursor, accepting only what `encodeCursor` writes: a forged one (an out-of-range or expanded-year date
 * such as +275760-09-13, a non-canonical time, a non-id) is an InvalidCursorError (400), never a database error.
 */
export function decodeCursor(cursor: string): { sortKey: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      isIssuedSortKey(value[0]) &&
      ROW_ID.test(value[1])
    ) {
      return { sortKey: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError('The cursor is not one this server issued.');
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says whether more exist. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => [Date | string | number, string]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(...keyOf(last)) : null };
}
