import { describe, expect, it } from 'vitest';
import { labelCeiling } from './section-training.ts';

describe('labelCeiling', () => {
  it('counts the errors forced by one text filed under several labels', () => {
    const training = [
      { label: 'ALLERGY', text: 'None.' },
      { label: 'ALLERGY', text: 'none' },
      { label: 'MEDICATIONS', text: 'None.' },
      { label: 'PASTSURGICAL', text: 'None' },
      { label: 'ROS', text: 'Negative for fever.' },
    ];
    const other = [
      { label: 'MEDICATIONS', text: 'NONE.' },
      { label: 'ROS', text: 'Negative for fever' },
      { label: 'CC', text: 'Cough.' },
    ];
    // Four rows read "none"; the best single label (ALLERGY) is wrong for two of them.
    expect(labelCeiling(training, other)).toEqual({ ambiguousRows: 4, forcedErrors: 2, otherSeen: 2, otherAgainstMajority: 1 });
  });
});
