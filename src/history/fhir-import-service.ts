/**
 * `clinote import fhir`: loads FHIR R4 bundles (read by `fhir-bundle-files.ts`) into patients, record notes and
 * structured facts.
 * Idempotent: each source unit (a patient, an encounter, a document) is stored with a hash of what it
 * became; an unchanged unit is skipped, a changed one replaces its earlier note (passages and facts go
 * with it). Bad files and resources are reported and skipped, never fatal.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { replaceNoteFacts } from './facts-repository.ts';
import { deleteImportedNote, findImport, findImports, saveImport } from './imports-repository.ts';
import { insertEncounter, setNoteEncounter } from '../encounters/repository.ts';
import { insertNote } from '../notes/repository.ts';
import { findPatient, findPatientByMrn } from '../patients/repository.ts';
import { registerPatient } from '../patients/service.ts';
import { readFhirBundle, type ImportIssue, type PatientRecord, type RecordDocument } from './fhir/bundle.ts';

export interface ImportReport {
  files: number;
  patients: number;
  patientsCreated: number;
  documents: number;
  documentsCreated: number;
  documentsReplaced: number;
  documentsUnchanged: number;
  /** Structured facts stored from coded data in this run. */
  facts: number;
  issues: Array<ImportIssue & { file: string }>;
  ignored: Record<string, number>;
  /** Notes this run created; they still need the note pipeline (structuring, indexing). */
  createdNoteIds: string[];
  /** Patients this run created or wrote notes for (for the audit trail). */
  writtenPatientIds: string[];
}

export interface ImportOptions {
  /** The note pipeline version new notes are stamped with. */
  pipelineVersion: string;
  /** Called after each file. */
  onFile?: (file: string) => void;
}

/** One bundle file: its parsed JSON, or why it is not readable JSON. */
export type BundleInput = { readonly file: string; readonly json: unknown } | { readonly file: string; readonly unreadable: string };

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

async function importPatient(db: Database, record: PatientRecord, report: ImportReport): Promise<string> {
  const known = await findImport(db, record.sourceKey);
  if (known && (await findPatient(db, known.patientId))) return known.patientId;
  let patient = await findPatientByMrn(db, record.mrn);
  if (!patient) {
    patient = await registerPatient(db, { mrn: record.mrn, name: record.name, birthDate: record.birthDate, sex: record.sex });
    report.patientsCreated++;
    report.writtenPatientIds.push(patient.id);
  }
  await saveImport(db, { sourceKey: record.sourceKey, patientId: patient.id, noteId: null, contentHash: hashOf([record.mrn, record.name, record.birthDate, record.sex]) });
  return patient.id;
}

/** A patient's changed or new documents replace their earlier notes in one transaction; unchanged ones are skipped. */
async function importDocuments(db: Database, patientId: string, docs: readonly RecordDocument[], options: ImportOptions, report: ImportReport): Promise<void> {
  const known = await findImports(db, docs.map((d) => d.sourceKey));
  const changed = docs
    .map((doc) => ({ doc, contentHash: hashOf([doc.kind, doc.authoredAt, doc.author, doc.text, doc.facts]), earlier: known.get(doc.sourceKey) }))
    .filter(({ contentHash, earlier }) => !(earlier && earlier.contentHash === contentHash && earlier.noteId && earlier.patientId === patientId));
  report.documentsUnchanged += docs.length - changed.length;
  if (changed.length === 0) return;
  const created = await db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const { doc, contentHash, earlier } of changed) {
      const note = await insertNote(tx, {
        patientId,
        kind: doc.kind,
        author: doc.author,
        authoredAt: doc.authoredAt,
        source: 'import',
        text: doc.text,
        pipelineVersion: options.pipelineVersion,
      });
      if (doc.facts) await replaceNoteFacts(tx, { patientId, noteId: note.id, origin: 'fhir' }, doc.facts);
      if (doc.encounter) {
        const { encounter } = await insertEncounter(tx, { patientId, ...doc.encounter });
        await setNoteEncounter(tx, note.id, encounter.id);
      }
      await saveImport(tx, { sourceKey: doc.sourceKey, patientId, noteId: note.id, contentHash });
      if (earlier?.noteId) await deleteImportedNote(tx, earlier.noteId);
      ids.push(note.id);
    }
    return ids;
  });
  report.createdNoteIds.push(...created);
  if (!report.writtenPatientIds.includes(patientId)) report.writtenPatientIds.push(patientId);
  for (const { doc, earlier } of changed) {
    report.facts += doc.facts?.length ?? 0;
    if (earlier?.noteId) report.documentsReplaced++;
    else report.documentsCreated++;
  }
}

/** Imports one bundle file into the report; a file that is not JSON or not a bundle becomes an issue. */
async function importBundle(db: Database, bundle: BundleInput, options: ImportOptions, report: ImportReport): Promise<void> {
  const { file } = bundle;
  report.files++;
  if ('unreadable' in bundle) {
    report.issues.push({ file, resource: 'Bundle', message: `not readable JSON: ${bundle.unreadable}` });
    return;
  }
  const contents = readFhirBundle(bundle.json);
  report.issues.push(...contents.issues.map((i) => ({ ...i, file })));
  for (const [type, n] of Object.entries(contents.ignored)) report.ignored[type] = (report.ignored[type] ?? 0) + n;
  for (const record of contents.patients) {
    report.patients++;
    const patientId = await importPatient(db, record, report);
    report.documents += record.documents.length;
    await importDocuments(db, patientId, record.documents, options, report);
  }
}

/** Imports the bundles in order (read one at a time when `bundles` reads lazily, as `readBundleFiles` does). */
export async function importFhir(db: Database, bundles: Iterable<BundleInput>, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    files: 0,
    patients: 0,
    patientsCreated: 0,
    documents: 0,
    documentsCreated: 0,
    documentsReplaced: 0,
    documentsUnchanged: 0,
    facts: 0,
    issues: [],
    ignored: {},
    writtenPatientIds: [],
    createdNoteIds: [],
  };
  for (const bundle of bundles) {
    await importBundle(db, bundle, options, report);
    options.onFile?.(bundle.file);
  }
  return report;
}
