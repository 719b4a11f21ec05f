import type { Me, Presence } from './types.js';

/**
 * The option of the presence list the agent chose, and what colleagues and routing see when that
 * differs (Busy while their capacity is full). A custom presence ("In training") comes back from the
 * server as its base ("away") with its own label, so the label finds the option.
 */
export function presenceChoice(
  me: Pick<Me, 'presence' | 'presenceLabel' | 'chosenPresence'>,
  list: readonly Presence[],
): { selected: string; shownAs: string | null } {
  const chosen = me.chosenPresence ?? me.presence;
  const selected =
    list.find((p) => p.label === me.presenceLabel && (p.base ?? p.id) === chosen)?.id ??
    (list.some((p) => p.id === chosen) ? chosen : me.presence);
  const shownAs =
    me.presence === chosen ? null : (list.find((p) => p.id === me.presence)?.label ?? me.presence);
  return { selected, shownAs };
}
