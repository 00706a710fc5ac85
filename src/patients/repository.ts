import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { decodeCursor, toPage, type Page, type PageRequest } from '../db/page.ts';
import type { NewPatient, Patient, PatientRecordKind } from './types.ts';

const columns = `id, mrn, name, birth_date AS "birthDate", sex, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** `nameSearch`: the name's searchable form (`patient-name.ts#searchableName`), which the name filters match words against. */
export async function insertPatient(db: Queryable, patient: NewPatient, nameSearch: string | null): Promise<Patient> {
  const rows = await db.query<Patient>(
    `INSERT INTO patients (id, mrn, name, birth_date, sex, name_search) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${columns}`,
    [randomUUID(), patient.mrn, patient.name ?? null, patient.birthDate ?? null, patient.sex ?? null, nameSearch],
  );
  return rows[0]!;
}

export async function findPatient(db: Queryable, id: string): Promise<Patient | undefined> {
  return (await db.query<Patient>(`SELECT ${columns} FROM patients WHERE id = $1`, [id]))[0];
}

export async function findPatientByMrn(db: Queryable, mrn: string): Promise<Patient | undefined> {
  return (await db.query<Patient>(`SELECT ${columns} FROM patients WHERE mrn = $1`, [mrn]))[0];
}

/** Name words come folded (`patient-name.ts#foldedWords`), as the stored searchable name is. */
export interface PatientFilter {
  /** Exact MRN. */
  mrn?: string | undefined;
  /** Every word starts a word of the name; no words match nothing. */
  nameWords?: readonly string[] | undefined;
  /** The name as for `nameWords`, or else `text` is a case-insensitive prefix of the MRN. */
  q?: { nameWords: readonly string[]; text: string } | undefined;
  /** Only patients with at least one stored image or note (a role's minimum necessary: radiologists, coders). */
  having?: PatientRecordKind | undefined;
}

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
  /** A condition that every word starts a word of the stored name (false for no words). */
  const nameWords = (words: readonly string[]) => {
    if (words.length === 0) return 'false';
    return words
      .map((word) => {
        params.push(`% ${likeEscape(word)}%`);
        return `name_search LIKE $${params.length}`;
      })
      .join(' AND ');
  };
  if (filter.nameWords) where.push(`(${nameWords(filter.nameWords)})`);
  if (filter.q) {
    const byName = nameWords(filter.q.nameWords);
    params.push(`${likeEscape(filter.q.text.toLowerCase())}%`);
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
