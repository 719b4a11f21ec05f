import type { SurveyQuestion } from '../../../services/domain/index.js';
import type { Repositories } from '../../../services/store/index.js';

export const SURVEY: SurveyQuestion[] = [
  { id: 'name', prompt: 'What is your name?', kind: 'text', required: true },
  { id: 'email', prompt: 'What is your e-mail address?', kind: 'email', required: true },
  {
    id: 'topic',
    prompt: 'What is it about?',
    kind: 'choice',
    choices: ['Technical', 'Billing'],
    required: true,
  },
  { id: 'details', prompt: 'Anything else we should know?', kind: 'text', required: false },
];

export const AGENT_ID = 'agent_alex';
export const QUEUE_ID = 'queue_technical';

/**
 * One web-chat work stream with the survey above, one queue, and one agent who is Away (so escalated
 * conversations wait in the queue until a test makes the agent available).
 */
export async function seedBotFixtures(repos: Repositories, survey: SurveyQuestion[] = SURVEY): Promise<void> {
  if (await repos.queues.get(QUEUE_ID)) return;
  await repos.queues.create({ id: QUEUE_ID, name: 'Technical support', workstreamIds: ['ws_webchat'] });
  await repos.workstreams.create({
    id: 'ws_webchat',
    name: 'Web chat',
    channel: 'webchat',
    fallbackQueueId: QUEUE_ID,
    capacityCost: 50,
    preChatSurvey: survey,
    allowedPresences: ['available'],
  });
  await repos.agents.create({
    id: AGENT_ID,
    name: 'Alex Rivera',
    email: 'alex@example.com',
    queueIds: [QUEUE_ID],
    presence: 'away',
    chosenPresence: 'away',
  });
}
