import { describe, expect, it } from 'vitest';
import { problemResponses, problemTypes } from './problem.ts';

describe('problemResponses', () => {
  it('names each status by its general problem type, not a special case sharing the status', () => {
    const titles = Object.fromEntries(Object.entries(problemResponses(400, 409, 413, 422, 503)).map(([status, r]) => [status, r.description]));
    expect(titles).toEqual({
      400: problemTypes['bad-request'].title,
      409: problemTypes.conflict.title,
      413: problemTypes['payload-too-large'].title,
      422: problemTypes.unprocessable.title,
      503: problemTypes.unavailable.title,
    });
  });
});
