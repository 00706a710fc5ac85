import { describe, expect, it } from 'vitest';
import { jobIdOf } from './bookkeeping.ts';

describe('jobIdOf', () => {
  it('joins the name and parts with dots and keeps ids BullMQ accepts', () => {
    expect(jobIdOf('history-reindex', 'clinote-embed@3f0a9b1044c3')).toBe('history-reindex.clinote-embed@3f0a9b1044c3');
    expect(jobIdOf('image-triage', 'a1', 'cxr:pneumonia@1.0 beta')).toBe('image-triage.a1.cxr_pneumonia@1.0_beta');
    expect(jobIdOf('note-pipeline', 'n1', 'v1+v2')).not.toContain(':');
  });
});
