import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { decodeCursor, toPage, type Page, type PageRequest } from '../db/page.ts';
import { foldedWords, searchableName } from './patient-name.ts';
import type { NewPatient, Patient } from './types.ts';

const columns = `id, mrn, name, birth_date AS "birthDate", sex, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertPatient(db: Queryable, patient: NewPatient): Promise<Patient> {
  const rows = await db.query<Patient>(
    `INSERT INTO patients (id, mrn, name, birth_date, sex, name_search) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${columns}`,
    [randomUUID(), patient.mrn, patient.name ?? null, patient.birthDate ?? null, patient.sex ?? null, searchableName(patient.name)],
  );
  return rows[0]!;
}

export async function findPatient(db: Queryable, id: string): Promise<Patient | undefined> {
  return (await db.query<Patient>(`SELECT ${columns} FROM patients WHERE id = $1`, [id]))[0];
}

export async function findPatientByMrn(db: Queryable, mrn: string): Promise<Patient | undefined> {
  return (await db.query<Patient>(`SELECT ${columns} FROM patients WHERE mrn = $1`, [mrn]))[0];
}

export interface PatientFilter {
  /** Exact MRN. */
  mrn?: string | undefined;
  /** Every word of it starts a word of the name, accent- and case-insensitive ("nguy thi" finds "Thị Nguyễn"). */
  name?: string | undefined;
  /** The name as for `name`, or else a case-insensitive prefix of the MRN. */
  q?: string | undefined;
  /** Only patients with at least one stored image or note (a role's minimum necessary: radiologists, coders). */
  having?: PatientRecordKind | undefined;
}

export type PatientRecordKind = 'images' | 'notes';

// Fixed SQL per kind (never built from input): patients with at least one such record.
const havingRecords: Record<PatientRecordKind, string> = {
  images: 'EXISTS (SELECT 1 FROM images r WHERE r.patient_id = patients.id)',
  notes: 'EXISTS (SELECT 1 FROM notes r WHERE r.patient_id = patients.id)',
};

/** Whether a patient has at least one stored image or note. */
export async function patientHasRecords(db: Queryable, patientId: string, kind: PatientRecordKind): Promise<boolean> {
  const rows = await db.query<{ found: boolean }>(`SELECT ${havingRecords[kind]} AS found FROM patients WHERE id = $1`, [patientId]);
  return rows[0]?.found === true;
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listPatients(db: Queryable, filter: PatientFilter, page: PageRequest): Promise<Page<Patient>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.mrn) {
    params.push(filter.mrn);
    where.push(`mrn = $${params.length}`);
  }
  /** A condition that every folded word of `text` starts a word of the stored name (false for no words). */
  const nameWords = (text: string) => {
    const words = foldedWords(text);
    if (words.length === 0) return 'false';
    return words
      .map((word) => {
        params.push(`% ${likeEscape(word)}%`);
        return `name_search LIKE $${params.length}`;
      })
      .join(' AND ');
  };
  if (filter.name) where.push(`(${nameWords(filter.name)})`);
  if (filter.q) {
    const byName = nameWords(filter.q);
    params.push(`${likeEscape(filter.q.toLowerCase())}%`);
    where.push(`((${byName}) OR lower(mrn) LIKE $${params.length})`);
  }
  if (filter.having) where.push(havingRecords[filter.having]);
  if (page.cursor) {
    const { sortKey, id } = decodeCursor(page.cursor);
    params.push(sortKey, id);
    where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(page.limit + 1);
  const rows = await db.query<Patient>(
    `SELECT ${columns} FROM patients ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY created_at, id LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, page.limit, (p) => [p.createdAt, p.id]);
}
