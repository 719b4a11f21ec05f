import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { DEMO_IDS } from '../../services/demo/index.js';
import { openMongoStore } from '../../services/store/index.js';
import { startCongo, type RunningCongo } from '../store/congo.js';
import { aConversation, alex, customerSays, demoWorld, type World } from './world.js';

// The workspace's queries and conditional writes through the Mongo adapter (real driver, wire
// protocol) against CongoDB: one agent's working session on a conversation, end to end.

let congo: RunningCongo;
let w: World;
let n = 0;

beforeAll(async () => {
  congo = await startCongo();
});
afterAll(async () => {
  await congo?.stop();
});
beforeEach(async () => {
  w = await demoWorld(() => openMongoStore(congo.uri(`workspace_${process.pid}_${++n}`)));
});
afterEach(async () => {
  await w.close();
});

it('works a conversation on MongoDB: script, macro, case, notes, timeline, assist', async () => {
  const c = await aConversation(w);
  await customerSays(w, c.id, 'Internet down since the storm, router light blinking red.');

  expect((await w.workspace.scripts.forConversation(alex, c.id)).script?.id).toBe(DEMO_IDS.scripts.outage);
  const { results } = await w.workspace.macros.run(alex, c.id, DEMO_IDS.macros.logOutage);
  expect(results.map((r) => r.outcome)).toEqual(['done', 'done', 'done']);
  const caseId = (await w.repos.conversations.get(c.id))?.caseId;
  expect(caseId).toBeDefined();
  const script = await w.workspace.scripts.markDone(alex, c.id, 'o1');
  expect(script.script?.steps.filter((s) => s.done).map((s) => s.id)).toEqual(['o1', 'o2']);

  await w.workspace.notes.addToConversation(alex, c.id, 'Crew already dispatched.');
  const timeline = await w.workspace.timeline.forCustomer(alex, c.customerId);
  expect(timeline.items.map((i) => i.kind)).toEqual(expect.arrayContaining(['note', 'case', 'conversation']));
  expect(timeline.items.filter((i) => i.kind === 'case')).toHaveLength(3);

  const page = await w.workspace.customerSummary.forConversation(alex, c.id);
  expect(page.currentCase?.id).toBe(caseId);
  const assist = await w.workspace.assist.suggestions(alex, c.id);
  expect(assist.items.some((i) => i.kind === 'article')).toBe(true);
  // The case the macro just opened is this conversation's own, so it is not offered as "similar".
  expect(assist.items.some((i) => i.id === caseId)).toBe(false);
});
