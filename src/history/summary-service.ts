import type { Queryable } from '../db/database.ts';
import { listPatientFacts } from './facts-repository.ts';
import { listPatientNotes } from '../notes/repository.ts';
import { assembleSummary, type PatientSummary } from './summary.ts';

/** How many recent notes the summary lists. */
export const SUMMARY_RECENT_NOTES = 5;

/** The summary of a patient from their stored facts and notes. */
export async function loadPatientSummary(db: Queryable, patientId: string): Promise<PatientSummary> {
  const [facts, notes] = await Promise.all([
    listPatientFacts(db, patientId, ['problem', 'medication', 'allergy', 'vital', 'lab']),
    listPatientNotes(db, patientId, { limit: SUMMARY_RECENT_NOTES }),
  ]);
  return assembleSummary(
    facts,
    notes.items.map((n) => ({ id: n.id, kind: n.kind, author: n.author, authoredAt: n.authoredAt })),
  );
}
