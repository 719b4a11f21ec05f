// A data-protection officer's work on one customer's data: find, export, erase (cli.ts); and the
// rule that nothing new is attached to a customer once erased, for the services that attach things.
export {
  customerData,
  BOT_COLLECTIONS,
  ERASED_NAME,
  PrivacyRefusal,
  type CustomerData,
  type CustomerQuery,
  type EmailSource,
  type EraseOutcome,
  type FoundCustomer,
} from './customer-data.js';
export { erasedAt, refuseIfErased } from './erased.js';
