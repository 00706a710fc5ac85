/**
 * The clinical indication of an imaging study ("cough and fever, ?pneumonia"): why it was ordered, shown to the
 * reader beside the patient's name. Given at upload, or read from the DICOM request attributes.
 */

/** Long enough for a free-text reason; DICOM's own reason fields (LO) hold 64 characters. */
export const INDICATION_MAX_LENGTH = 500;

// C0 and C1 controls and DEL; tabs and line breaks too, since the indication is one line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why an indication given at upload is refused, or null when it is acceptable. */
export function indicationProblem(text: string): string | null {
  if (CONTROL.test(text)) return 'must be one line of text without control characters';
  if (text.trim().length > INDICATION_MAX_LENGTH) return `must be at most ${INDICATION_MAX_LENGTH} characters`;
  return null;
}

/**
 * An indication as stored: trimmed, inner white space collapsed, null when empty. Text from a file (a DICOM
 * header) is not refused but cleaned: control characters become spaces and it is cut at the length cap.
 */
export function normaliseIndication(text: string | null | undefined): string | null {
  if (!text) return null;
  const cleaned = text.replace(new RegExp(CONTROL.source, 'g'), ' ').replace(/\s+/g, ' ').trim().slice(0, INDICATION_MAX_LENGTH).trim();
  return cleaned || null;
}
