// A data-protection officer's work on one customer's data: find, export, erase (cli.ts).
export {
  customerData,
  BOT_COLLECTIONS,
  ERASED_NAME,
  PrivacyRefusal,
  type CustomerData,
  type CustomerQuery,
  type EraseOutcome,
  type FoundCustomer,
} from './customer-data.js';
