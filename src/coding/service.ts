/**
 * Coding as the doors use it: suggestions for a stored note or for raw text, a note's review workspace and the
 * checks before a note is reviewed, the coder's worklist and the final code sets for export. The database comes
 * in (Immich style); the rules stay in the coding domain, and reviews are saved by the workspace service.
 */
import type { Database } from '../db/database.ts';
import type { Page, PageRequest } from '../db/page.ts';
import { loadEncounterWorkspace, loadNoteWorkspace, claimPatient, type ReviewWorkspace } from '../encounters/service.ts';
import { findNote } from '../notes/repository.ts';
import type { Note } from '../notes/types.ts';
import { learnedFinder } from '../notes/learned-finder-files.ts';
import { structureText } from '../notes/structure.ts';
import { blockingEdits, validateClaim } from './claim-edits.ts';
import { NoteInEncounterError, NoteNotProcessedError } from './errors.ts';
import { NoteNotFoundError } from '../notes/errors.ts';
import { settingForNoteKind, type CodingSetting } from './icd10/guidelines/setting.ts';
import { codeNote, type NoteCodes } from './icd10/note-codes.ts';
import { activeVersion, loadCodeSet } from './icd10/versions.ts';
import { listCodingWorklist, listFinalCodeSets } from './repository.ts';
import type { CodingWorklistEntry, ReviewedCodeSet, WorklistFilter } from './types.ts';

const DAY_MS = 86_400_000;

export class CodingService {
  constructor(private readonly db: Database) {}

  /** The stored note to code; throws NoteNotFoundError. */
  async note(noteId: string): Promise<Note> {
    const note = await findNote(this.db, noteId);
    if (!note) throw new NoteNotFoundError();
    return note;
  }

  /** Ranked suggestions for a stored note, in the given setting, else the note's own, else its kind's. */
  suggestForNote(note: Note, top: number, setting?: CodingSetting): NoteCodes {
    return codeNote(note.text, note.results.structure as Parameters<typeof codeNote>[1], top, setting ?? note.setting ?? settingForNoteKind(note.kind));
  }

  /**
   * Ranked suggestions for text no note holds, outpatient unless told otherwise. The text is structured as the note
   * pipeline structures a note (learned mention finder included, no LLM pass), so text and note give the same codes.
   */
  async suggestForText(text: string, top: number, setting?: CodingSetting): Promise<NoteCodes> {
    const structure = await structureText(text, 'typed', null, await learnedFinder());
    return codeNote(text, structure, top, setting ?? 'outpatient');
  }

  /**
   * The workspace a note is coded in: its own, or its encounter's when it belongs to one. Throws NoteNotFoundError.
   */
  async noteWorkspace(noteId: string): Promise<{ note: Note; workspace: ReviewWorkspace }> {
    const loaded = await loadNoteWorkspace(this.db, noteId);
    if (!loaded.note) throw new NoteNotFoundError();
    const workspace = loaded.workspace ?? (await loadEncounterWorkspace(this.db, loaded.encounterId!))!;
    return { note: loaded.note, workspace };
  }

  /**
   * The workspace of a note about to be reviewed on its own. Throws NoteNotFoundError, NoteInEncounterError (its
   * encounter is reviewed instead) and NoteNotProcessedError (no suggestions to decide on yet).
   */
  async noteToReview(noteId: string): Promise<{ note: Note; workspace: ReviewWorkspace }> {
    const loaded = await loadNoteWorkspace(this.db, noteId);
    if (!loaded.note) throw new NoteNotFoundError();
    if (loaded.encounterId) throw new NoteInEncounterError(loaded.encounterId);
    const workspace = loaded.workspace!;
    if (!workspace.ready) throw new NoteNotProcessedError();
    return { note: loaded.note, workspace };
  }

  /**
   * The coder's worklist, oldest first, each line with its days waiting and whether its proposed codes fail a
   * blocking claim edit of the code set in force.
   */
  async worklist(filter: WorklistFilter, page: PageRequest, now = Date.now()): Promise<Page<CodingWorklistEntry>> {
    const listed = await listCodingWorklist(this.db, filter, page);
    const codeSet = loadCodeSet(activeVersion());
    return {
      items: listed.items.map((i) => ({
        ...i,
        daysWaiting: Math.max(0, Math.floor((now - i.waitingSince.getTime()) / DAY_MS)),
        blocking: blockingEdits(validateClaim(i.proposedCodes, claimPatient(i), { type: i.type, start: i.start }, codeSet)).length > 0,
      })),
      nextCursor: listed.nextCursor,
    };
  }

  /** The latest final code set of every reviewed note or encounter, optionally since a time or for one patient. */
  finalCodeSets(filter: { since?: Date | undefined; patientId?: string | undefined }): Promise<ReviewedCodeSet[]> {
    return listFinalCodeSets(this.db, filter);
  }
}
