// Administration: setting the contact center up (agents, queues, work streams and the agents'
// catalogue of articles, quick replies, macros and scripts), audited, with routing told at once.
export {
  createAdministration,
  type Actor,
  type Administration,
  type AdministrationOptions,
  type Catalogue,
  type Removable,
} from './administration.js';
export * from './inputs.js';
export { leavesNoAdmin, referrersOf } from './rules.js';
