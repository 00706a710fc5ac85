import { describe, expect, it } from 'vitest';
import type { Queryable } from '../db/database.ts';
import { AuditWriter } from './audit-service.ts';

const event = (n: number) => ({
  actor: { keyId: null, label: 'a', role: 'doctor' },
  action: `note.read`,
  patientId: null,
  resourceType: 'note',
  resourceId: String(n),
  requestId: null,
});

function fakeDb(fail = false) {
  const statements: unknown[][] = [];
  const db: Queryable = {
    async query(_sql, params) {
      statements.push([...(params ?? [])]);
      if (fail) throw new Error('db down');
      return [];
    },
    async exec() {},
  };
  return { db, statements };
}

describe('AuditWriter', () => {
  it('writes events recorded together in one statement and resolves each caller after the write', async () => {
    const { db, statements } = fakeDb();
    const writer = new AuditWriter(db);
    await Promise.all([1, 2, 3, 4, 5].map((n) => writer.record([event(n)])));
    expect(statements).toHaveLength(1);
    expect(statements[0]!.filter((p) => typeof p === 'string' && /^\d$/.test(p))).toEqual(['1', '2', '3', '4', '5']);
  });

  it('splits large batches and rejects callers when the write fails', async () => {
    const { db, statements } = fakeDb();
    const writer = new AuditWriter(db, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => writer.record([event(n)])));
    expect(statements).toHaveLength(3);
    const failing = new AuditWriter(fakeDb(true).db);
    await expect(failing.record([event(1)])).rejects.toThrow('db down');
  });
});
