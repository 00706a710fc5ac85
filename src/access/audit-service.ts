import type { Queryable } from '../db/database.ts';
import type { Page, PageRequest } from '../db/page.ts';
import { listAuditEvents, recordAuditEvents, type AuditEvent, type AuditFilter, type NewAuditEvent } from './audit-repository.ts';

/** The audit trail an administrator reads, newest first. */
export const listAuditTrail = (db: Queryable, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEvent>> => listAuditEvents(db, filter, page);

/**
 * Group commit for audit events: events from requests running at the same time are written in
 * one INSERT. Each caller still waits until its own event is stored, so nothing is answered
 * unaudited, but under load one commit serves many requests instead of one each.
 */
export class AuditWriter {
  private pending: Array<{ events: readonly NewAuditEvent[]; resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Queryable,
    /** Largest number of events in one INSERT. */
    private readonly maxBatch = 500,
  ) {}

  record(events: readonly NewAuditEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ events, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /** Resolves when everything recorded so far is stored. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    // Let requests that are already running add their events to this batch.
    await new Promise((r) => setImmediate(r));
    try {
      while (this.pending.length > 0) {
        const batch: typeof this.pending = [];
        let size = 0;
        while (this.pending.length > 0 && (batch.length === 0 || size + this.pending[0]!.events.length <= this.maxBatch)) {
          const item = this.pending.shift()!;
          batch.push(item);
          size += item.events.length;
        }
        try {
          await recordAuditEvents(this.db, batch.flatMap((b) => b.events));
          for (const b of batch) b.resolve();
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }
}
