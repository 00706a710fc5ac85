/**
 * Rendered `GET /v1/notes/{id}` bodies of this process, keyed by note and row version. A read then fetches only
 * the note's patient and row version (for the check and the audit row) instead of its text and tens of KB of
 * results; a changed row has a new version, so a stale body is never served. Bounded by the bytes it holds,
 * least recently used first out. One per database: two test databases may hold the same note id.
 */
export class RenderedNoteCache {
  private readonly entries = new Map<string, { rowVersion: string; body: string }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(noteId: string, rowVersion: string): string | undefined {
    const entry = this.entries.get(noteId);
    if (!entry || entry.rowVersion !== rowVersion) return undefined;
    // Re-inserted so the Map's order stays least recently used first.
    this.entries.delete(noteId);
    this.entries.set(noteId, entry);
    return entry.body;
  }

  set(noteId: string, rowVersion: string, body: string): void {
    this.delete(noteId);
    // Strings are UTF-16 in memory: two bytes a character is the right bound.
    const size = body.length * 2;
    if (size > this.maxBytes) return;
    this.entries.set(noteId, { rowVersion, body });
    this.bytes += size;
    for (const [id, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(id);
      this.bytes -= entry.body.length * 2;
    }
  }

  private delete(noteId: string): void {
    const entry = this.entries.get(noteId);
    if (!entry) return;
    this.entries.delete(noteId);
    this.bytes -= entry.body.length * 2;
  }
}
