import { canRead, type Viewer } from './access.js';
import type { Case, CaseEditableField, CaseHistoryEntry, Conversation } from './entities.js';
import { ConflictError, DomainError, ValidationError } from './errors.js';

// What may be done to a case and what it then records, as Dynamics 365 agents work a case: edited
// while active, resolved with a resolution, cancelled with a reason, reactivated to work it again.

/** How many changes a case keeps in its history: enough to follow it, never a growing document. */
export const CASE_HISTORY_KEPT = 50;

export type CaseStep = 'edit' | 'resolve' | 'cancel' | 'reactivate';

/**
 * Those who work on a case's conversations work the case: an agent who may read one of them, a
 * supervisor of one of their queues, an administrator. Reading it through the customer alone (any
 * of their chats) is not enough to change it.
 */
export function mayChangeCase(viewer: Viewer, linked: readonly Conversation[]): boolean {
  return viewer.roles.includes('admin') || linked.some((c) => canRead(viewer, c));
}

/** The refusal of a change by someone `mayChangeCase` turns away, naming the case. */
export function caseChangeDenied(c: Pick<Case, 'id' | 'number'>, step: CaseStep): DomainError {
  return new DomainError(
    'case.access_denied',
    `You may not ${step} case ${c.number}: none of its conversations is yours to read`,
    'forbidden',
    { caseId: c.id },
  );
}

/** Throws when `step` does not apply to the case as it is: only an active case is worked on. */
export function assertCaseStep(c: Pick<Case, 'id' | 'number' | 'status'>, step: CaseStep): void {
  if (step === 'reactivate') {
    if (c.status === 'active') {
      throw new ConflictError('case.already_active', `Case ${c.number} is already active`, {
        caseId: c.id,
        status: c.status,
      });
    }
    return;
  }
  if (c.status !== 'active') {
    throw new ConflictError(
      'case.not_active',
      `Case ${c.number} is ${c.status}: reactivate it before you ${step} it`,
      { caseId: c.id, status: c.status },
    );
  }
}

/** A resolution or a cancellation reason: something a person can read, else refused. */
export function requiredCaseText(text: string, step: 'resolve' | 'cancel'): string {
  const trimmed = text.trim();
  if (trimmed) return trimmed;
  throw step === 'resolve'
    ? new ValidationError('case.resolution_required', 'A case is resolved with a resolution')
    : new ValidationError('case.reason_required', 'A case is cancelled with a reason');
}

export type CaseEdit = Partial<Pick<Case, CaseEditableField>>;

/** The fields of `edit` that change the case, in the order they are shown. */
export function editedCaseFields(c: Case, edit: CaseEdit): CaseEditableField[] {
  const order: CaseEditableField[] = ['title', 'description', 'priority', 'caseType', 'product'];
  return order.filter((f) => edit[f] !== undefined && edit[f] !== c[f]);
}

/** The case's history with `entry` added, the oldest dropped beyond `CASE_HISTORY_KEPT`. */
export function withCaseHistory(c: Pick<Case, 'history'>, entry: CaseHistoryEntry): CaseHistoryEntry[] {
  return [...(c.history ?? []), entry].slice(-CASE_HISTORY_KEPT);
}

/** The fields a step writes on the case (besides the history), from its state now. */
export function caseStepFields(
  step: 'resolve' | 'cancel' | 'reactivate',
  text?: string,
): Pick<Case, 'status' | 'resolution' | 'cancelReason'> {
  if (step === 'resolve') return { status: 'resolved', resolution: text, cancelReason: undefined };
  if (step === 'cancel') return { status: 'cancelled', cancelReason: text, resolution: undefined };
  return { status: 'active', resolution: undefined, cancelReason: undefined };
}
