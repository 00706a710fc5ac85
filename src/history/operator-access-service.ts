/**
 * Command-line access to patient history: operators name patients by id or MRN, and their reads and writes are
 * audited like API calls (actor `cli:<os user>`), so the audit trail covers every way into a chart.
 */
import { userInfo } from 'node:os';
import type { Queryable } from '../db/database.ts';
import { recordAuditEvents } from '../access/audit-repository.ts';
import { isUuid } from '../db/page.ts';
import { findPatient, findPatientByMrn } from '../patients/repository.ts';
import type { Patient } from '../patients/types.ts';

/** A patient named by id or by MRN. */
export async function findPatientByRef(db: Queryable, ref: string): Promise<Patient | undefined> {
  return (isUuid(ref) ? await findPatient(db, ref) : undefined) ?? findPatientByMrn(db, ref);
}

/** Records an operator's read or write of patients' data from the command line: one event per patient. */
export async function auditOperatorAccess(db: Queryable, action: string, patientIds: readonly string[], detail: Record<string, unknown> = {}): Promise<void> {
  if (patientIds.length === 0) return;
  const actor = { keyId: null, label: `cli:${userInfo().username}`, role: 'operator' };
  await recordAuditEvents(
    db,
    patientIds.map((patientId) => ({ actor, action, patientId, resourceType: 'patient', resourceId: patientId, requestId: null, detail })),
  );
}
