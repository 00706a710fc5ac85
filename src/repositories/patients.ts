import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { decodeCursor, toPage, type Page, type PageRequest } from './page.ts';

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export interface Patient {
  id: string;
  mrn: string;
  name: string | null;
  birthDate: string | null;
  sex: Sex | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewPatient {
  mrn: string;
  name?: string | null | undefined;
  birthDate?: string | null | undefined;
  sex?: Sex | null | undefined;
}

const columns = `id, mrn, name, birth_date AS "birthDate", sex, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertPatient(db: Queryable, patient: NewPatient): Promise<Patient> {
  const rows = await db.query<Patient>(
    `INSERT INTO patients (id, mrn, name, birth_date, sex) VALUES ($1, $2, $3, $4, $5) RETURNING ${columns}`,
    [randomUUID(), patient.mrn, patient.name ?? null, patient.birthDate ?? null, patient.sex ?? null],
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
  /** Case-insensitive name prefix. */
  name?: string | undefined;
}

export async function listPatients(db: Queryable, filter: PatientFilter, page: PageRequest): Promise<Page<Patient>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.mrn) {
    params.push(filter.mrn);
    where.push(`mrn = $${params.length}`);
  }
  if (filter.name) {
    params.push(filter.name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) + '%');
    where.push(`lower(name) LIKE $${params.length}`);
  }
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
