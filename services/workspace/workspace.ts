import { createAssist } from './assist.js';
import { createCases } from './cases.js';
import { createCustomerSummary } from './customer-summary.js';
import { createKnowledge } from './knowledge.js';
import { createMacros } from './macros.js';
import { createNotes } from './notes.js';
import { createPeople } from './people.js';
import type { WorkspacePorts } from './ports.js';
import { createQuickReplies } from './quick-replies.js';
import { createScripts } from './scripts.js';
import { createTimeline } from './timeline.js';
import { createWorkspaceAccess } from './workspace-access.js';

export interface WorkspaceOptions {
  /** How long the knowledge and similar-case indexes are reused before a rebuild from the store. */
  indexMaxAgeMs?: number;
}

/** Everything an agent works with beside the transcript, each part checking access itself. */
export function createWorkspace(ports: WorkspacePorts, options: WorkspaceOptions = {}) {
  const access = createWorkspaceAccess(ports.repos);
  const indexOptions = options.indexMaxAgeMs !== undefined ? { maxAgeMs: options.indexMaxAgeMs } : {};
  const knowledge = createKnowledge(ports, access, indexOptions);
  const assist = createAssist(ports, access, knowledge, indexOptions);
  // A case opened here is suggested as a similar case at once, not after the index ages out.
  const cases = createCases(ports, access, { onCaseOpened: () => assist.invalidate() });
  const scripts = createScripts(ports, access);
  return {
    quickReplies: createQuickReplies(ports, access),
    notes: createNotes(ports, access),
    timeline: createTimeline(ports, access),
    customerSummary: createCustomerSummary(ports, access),
    cases,
    knowledge,
    scripts,
    macros: createMacros(ports, access, { cases, knowledge, scripts }),
    assist,
    people: createPeople(ports, access),
  };
}

export type Workspace = ReturnType<typeof createWorkspace>;
