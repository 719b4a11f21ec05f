import type { SurveyQuestion, Workstream } from '../domain/index.js';

/**
 * The questions the bot asks before helping. A work stream's own pre-chat survey wins. A work stream
 * without one (Teams has no pre-chat form) whose routing rules test pre-chat answers for given values
 * (`prechat.topic eq "Billing"`) gets those asked as choices, so its rules still have something to
 * classify on.
 */
export function surveyFor(workstream: Pick<Workstream, 'preChatSurvey' | 'rules'>): SurveyQuestion[] {
  if (workstream.preChatSurvey.length > 0) return workstream.preChatSurvey;
  const choicesById = new Map<string, string[]>();
  for (const rule of [...workstream.rules].sort((a, b) => a.order - b.order)) {
    for (const c of rule.conditions) {
      const id = /^prechat\.(.+)$/.exec(c.field)?.[1];
      if (!id || (c.op !== 'eq' && c.op !== 'in')) continue;
      const values = (Array.isArray(c.value) ? c.value : [c.value])
        .filter((v) => v !== undefined)
        .map(String);
      const choices = choicesById.get(id) ?? [];
      for (const v of values) if (!choices.includes(v)) choices.push(v);
      choicesById.set(id, choices);
    }
  }
  return [...choicesById].map(([id, choices]) => ({
    id,
    prompt: id === 'topic' ? 'What can we help you with?' : `Please choose your ${id}.`,
    kind: 'choice' as const,
    choices: choices.includes('Other') ? choices : [...choices, 'Other'],
    required: true,
  }));
}
