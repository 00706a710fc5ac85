/**
 * Renders coded records as a readable note: a few header lines, then one headed section per kind of entry
 * ("Problems:", "Medications:", "Results:" …, headers note structuring recognises) with one line per entry.
 * Every entry remembers the span of its line, so a structured fact links back to the words a clinician sees.
 */
export interface TextSpan {
  start: number;
  end: number;
}

export class RecordTextBuilder {
  private text = '';

  /** "Label: value" on a line of its own. */
  field(label: string, value: string): void {
    this.text += `${label}: ${value}\n`;
  }

  /** A section header ("Problems:") after a blank line. */
  heading(title: string): void {
    this.text += `\n${title}:\n`;
  }

  /** One entry line ("- …"); returns the span of the entry without the bullet. */
  entry(content: string): TextSpan {
    const clean = content.replace(/\s+/g, ' ').trim();
    const start = this.text.length + 2;
    this.text += `- ${clean}\n`;
    return { start, end: start + clean.length };
  }

  toString(): string {
    return this.text.trimEnd();
  }
}

/** A measured value as a clinician would write it: at most four significant digits, no trailing zeros. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return String(Number(value.toFixed(digits)));
}

/** The date part of an ISO timestamp. */
export const isoDate = (value: string | Date) => (typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10));
