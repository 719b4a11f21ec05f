// `npm run --silent admin -- <agents|add-agent|update-agent> …`: the administrator's way in before
// anyone can sign in (a Teams-mode install with DEMO_DATA=off has no agent to sign in as, so nobody
// could call the admin API). The same rules and checks as `/api/v1/admin/agents`, on the store
// `npm start` would open. One JSON object on stdout, refusals on stderr. Exit 0 done, 1 refused,
// 2 a wrong command line.

import { userInfo } from 'node:os';
import { isDomainError, systemDeps } from '../domain/index.js';
import { createLogger } from '../log.js';
import { createRepositories, type DocumentStore } from '../store/index.js';
import { print, runStoreTool, UsageError } from '../store-tool.js';
import { createAdministration } from './administration.js';
import { agentPatchInput, newAgentInput } from './inputs.js';

const USAGE = `usage:
  npm run --silent admin -- agents
      every agent: id, name, e-mail, roles, queues, capacity, the Teams user linked (aadObjectId)
  npm run --silent admin -- add-agent '<json>'
      a new agent, with the fields of POST /api/v1/admin/agents, e.g.
      '{"name":"Ada Park","email":"ada@contoso.com","aadObjectId":"<Entra object id>","roles":["admin","supervisor"]}'
  npm run --silent admin -- update-agent <agent id> '<json>'
      changes an agent, with the fields of PUT /api/v1/admin/agents/:id (null clears one)
Reads MONGODB_URI or DATA_DIR as npm start does. On the embedded store the server must be stopped
(the data folder has one owner); a running server on MongoDB reads the change at its next sweep.
`;

type Command =
  | { verb: 'agents' }
  | { verb: 'add-agent'; fields: unknown }
  | { verb: 'update-agent'; id: string; fields: unknown };

function json(text: string | undefined): unknown {
  if (text === undefined) throw new UsageError('give the fields as one JSON object');
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`the fields are not JSON: ${text}`);
  }
}

function parse(args: string[]): Command {
  const [verb, ...rest] = args;
  if (verb === 'agents' && rest.length === 0) return { verb };
  if (verb === 'add-agent' && rest.length <= 1) return { verb, fields: json(rest[0]) };
  if (verb === 'update-agent' && rest.length <= 2) {
    if (!rest[0]?.trim()) throw new UsageError('update-agent needs the agent id');
    return { verb, id: rest[0].trim(), fields: json(rest[1]) };
  }
  throw new UsageError(
    verb === 'agents' || verb === 'add-agent' || verb === 'update-agent'
      ? `too many arguments for ${verb} (quote the JSON as one argument)`
      : 'say agents, add-agent or update-agent',
  );
}

async function run(command: Command, store: DocumentStore, say: (line: string) => void): Promise<number> {
  const repos = await createRepositories(store, systemDeps);
  // No router runs here: a server reads agents when it starts (or, on MongoDB, at its next sweep).
  const idle = async () => undefined;
  const admin = createAdministration({
    repos,
    router: { reload: idle, dispatch: idle, presence: { applyLoad: idle } as never },
    log: createLogger({ service: 'switchboard-admin' }),
  });
  const actor = { agentId: 'command-line', name: `command line (${userInfo().username})` };
  if (command.verb === 'agents') {
    print({ items: await admin.agents.list() });
    return 0;
  }
  const schema = command.verb === 'add-agent' ? newAgentInput : agentPatchInput;
  const parsed = schema.safeParse(command.fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) say(`${issue.path.join('.') || 'fields'}: ${issue.message}`);
    return 2;
  }
  const agent =
    command.verb === 'add-agent'
      ? await admin.agents.create(actor, parsed.data as never)
      : await admin.agents.update(actor, command.id, parsed.data as never);
  print(agent);
  return 0;
}

// A refusal of the rules (a duplicate e-mail, the last administrator): said in one line, exit 1.
runStoreTool({ name: 'admin', usage: USAGE, parse, run, refused: isDomainError });
