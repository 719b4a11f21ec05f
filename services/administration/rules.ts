import type { Agent, AgentScript, Macro, Role } from '../domain/index.js';

// The administration rules, as pure functions over what the service read.

/** Whether giving `agent` these roles leaves the contact center with nobody who may administer it. */
export function leavesNoAdmin(
  agent: Pick<Agent, 'id' | 'roles'>,
  nextRoles: readonly Role[],
  admins: readonly Pick<Agent, 'id'>[],
): boolean {
  if (!agent.roles.includes('admin') || nextRoles.includes('admin')) return false;
  return !admins.some((a) => a.id !== agent.id);
}

export type Referenced = 'quick_reply' | 'macro' | 'agent_script';

/** A record's words for a message: `macro "Open billing dispute" (macro_billing_dispute)`. */
const named = (entity: string, r: { id: string; name: string }) => `${entity} "${r.name}" (${r.id})`;

/**
 * The macros and scripts that use a quick reply, macro or script: deleting it would leave them
 * pointing at nothing, so it is refused while they do. A script naming itself does not hold it.
 */
export function referrersOf(
  kind: Referenced,
  id: string,
  catalogue: { macros: readonly Macro[]; scripts: readonly AgentScript[] },
): string[] {
  if (kind === 'quick_reply') {
    return catalogue.macros
      .filter((m) => m.actions.some((a) => a.type === 'send-quick-reply' && a.quickReplyId === id))
      .map((m) => named('macro', m));
  }
  return catalogue.scripts
    .filter(
      (s) =>
        s.id !== id &&
        s.steps.some((step) =>
          kind === 'macro'
            ? step.kind === 'macro' && step.macroId === id
            : step.kind === 'script' && step.scriptId === id,
        ),
    )
    .map((s) => named('agent script', s));
}
