import { describe, expect, it } from 'vitest';
import type { SurveyQuestion } from '../domain/index.js';
import { surveyFor } from './pre-chat-survey.js';

const survey: SurveyQuestion[] = [{ id: 'name', prompt: 'Your name', kind: 'text', required: true }];

describe('surveyFor', () => {
  it('asks a work stream without a form for the pre-chat values its rules route on', () => {
    const rule = (order: number, value: string) => ({
      id: `r${order}`,
      name: value,
      order,
      conditions: [{ field: 'prechat.topic', op: 'eq' as const, value }],
      queueId: 'q',
      skills: [],
    });
    expect(
      surveyFor({ preChatSurvey: [], rules: [rule(20, 'Billing'), rule(10, 'Internet outage')] }),
    ).toEqual([
      {
        id: 'topic',
        prompt: 'What can we help you with?',
        kind: 'choice',
        choices: ['Internet outage', 'Billing', 'Other'],
        required: true,
      },
    ]);
    expect(surveyFor({ preChatSurvey: survey, rules: [rule(1, 'Billing')] })).toBe(survey);
  });
});
