import { describe, expect, it } from 'vitest';
import { ApiError } from './api.js';
import { problemText } from './problem.js';

describe('problemText', () => {
  it('says the server could not be reached, not "Failed to fetch", and what to do', () => {
    const kept = 'Your message is kept; send it again.';
    expect(problemText(new TypeError('Failed to fetch'), kept)).toBe(
      `Couldn't reach Switchboard — check your connection. ${kept}`,
    );
    expect(problemText(new ApiError(503, 'http_503', 'Service Unavailable'))).toMatch(/^Couldn't reach/);
  });

  it("shows the server's own refusal as it is", () => {
    expect(problemText(new ApiError(409, 'agent.offline', 'Sam Morgan is offline'))).toBe(
      'Sam Morgan is offline',
    );
  });
});
