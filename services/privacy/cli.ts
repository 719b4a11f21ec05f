// `npm run --silent privacy -- <find|export|erase> …`: a data-protection officer's tool for one
// customer's data (README, "Command-line tools"; docs/decisions/0024). One JSON object on stdout,
// what it does and why it refuses on stderr. It opens the store `npm start` would (MONGODB_URI, or
// the embedded store in DATA_DIR). Exit 0 done, 1 refused or failed, 2 a wrong command line.

import type { DocumentStore } from '../store/index.js';
import { print, runStoreTool, UsageError } from '../store-tool.js';
import { customerData, PrivacyRefusal, type CustomerQuery } from './customer-data.js';

const USAGE = `usage:
  npm run --silent privacy -- find (--email <address> | --name <text> | --customer <id>)
      the matching customers (e-mail: exact, any case; name: any part, any case, any accents) and their
      conversations; each e-mail marked "emailSource": "verified" (a signed-in chat's claim) or "typed"
      (typed into a chat: anyone can type anyone's address; check who asks, docs/security.md)
  npm run --silent privacy -- export --customer <id> [--with-file-contents]
      everything kept about the customer, as JSON (file contents base64 only with the flag)
  npm run --silent privacy -- erase --customer <id> [--yes]
      erases the customer's data (conversations stay for the figures, without anything personal);
      without --yes it says what it would erase and changes nothing
Reads MONGODB_URI or DATA_DIR as npm start does. On the embedded store the server must be stopped
(the data folder has one owner); on MongoDB restart the servers after an erase.
`;

interface Command {
  verb: 'find' | 'export' | 'erase';
  query: CustomerQuery;
  yes: boolean;
  fileContents: boolean;
}

function parse(args: string[]): Command {
  const [verb, ...rest] = args;
  if (verb !== 'find' && verb !== 'export' && verb !== 'erase')
    throw new UsageError('say find, export or erase');
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--yes' || arg === '--with-file-contents') flags.add(arg);
    else if (arg === '--email' || arg === '--name' || arg === '--customer') {
      const value = rest[++i];
      if (value === undefined || value.trim() === '') throw new UsageError(`${arg} needs a value`);
      values.set(arg, value);
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (values.size !== 1) throw new UsageError('name the customer with one of --email, --name, --customer');
  if (verb !== 'find' && !values.has('--customer'))
    throw new UsageError(`${verb} takes --customer <id> (find gives the id)`);
  if (flags.has('--yes') && verb !== 'erase') throw new UsageError('--yes is for erase');
  if (flags.has('--with-file-contents') && verb !== 'export')
    throw new UsageError('--with-file-contents is for export');
  const [key, value] = [...values][0]!;
  const query: CustomerQuery =
    key === '--email' ? { email: value } : key === '--name' ? { name: value } : { customerId: value.trim() };
  return { verb, query, yes: flags.has('--yes'), fileContents: flags.has('--with-file-contents') };
}

/** Said beside whatever answers a request about a record whose e-mail nobody proved. */
const TYPED_WARNING =
  "was only typed into a chat, never proven by a sign-in: anyone can type anyone's address. " +
  'Before sending an export to that address or erasing on its word, check that whoever asks ' +
  'is the person in these chats (docs/security.md, "A customer\'s data: access and erasure")';

async function run(command: Command, store: DocumentStore, say: (line: string) => void): Promise<number> {
  const data = customerData(store);
  const customerId = 'customerId' in command.query ? command.query.customerId : '';
  if (command.verb === 'find') {
    const customers = await data.find(command.query);
    say(`${customers.length} customer(s) found`);
    const typed = customers.filter((c) => c.emailSource === 'typed').map((c) => c.id);
    if (typed.length > 0) say(`the e-mail of ${typed.join(', ')} ${TYPED_WARNING}`);
    print({ customers });
  } else if (command.verb === 'export') {
    const exported = await data.export(customerId, { fileContents: command.fileContents });
    if (exported.emailSource === 'typed') say(`the e-mail of customer ${customerId} ${TYPED_WARNING}`);
    print(exported);
  } else {
    const outcome = await data.erase(customerId, { confirmed: command.yes });
    if (outcome.emailSource === 'typed') say(`the e-mail of customer ${customerId} ${TYPED_WARNING}`);
    if (!outcome.erased) {
      print(outcome);
      say(`nothing was erased: run again with --yes to erase customer ${customerId}`);
      return 1;
    }
    if (store.kind === 'mongodb') {
      // Running servers keep past cases in a search index made at start (smart assist's).
      print({ ...outcome, restartServers: true });
      say('erased; restart the servers so their in-memory indexes drop the erased cases');
    } else {
      print(outcome);
      say('erased, and the datafiles rewritten without it');
    }
  }
  return 0;
}

runStoreTool({
  name: 'privacy',
  usage: USAGE,
  parse,
  run,
  refused: (e) => e instanceof PrivacyRefusal,
});
