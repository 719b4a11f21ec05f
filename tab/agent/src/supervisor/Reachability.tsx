import { Card, Switch, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useWorkspace } from '../context.js';

const PRESENCE_WORDS: Record<string, string> = {
  available: 'Available',
  busy: 'Busy',
  'do-not-disturb': 'Do not disturb',
  away: 'Away',
  offline: 'Offline',
};

const useStyles = makeStyles({
  card: { display: 'grid', gap: '6px' },
  h3: { margin: 0, fontSize: tokens.fontSizeBase400 },
  queues: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: '4px 16px',
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  muted: { color: tokens.colorNeutralForeground2 },
});

/**
 * Whether colleagues can consult the supervisor and whether customers are offered to them, and the
 * queue switches that keep offers away: a supervisor who wants consults only need not go Offline
 * (which refuses consults) nor Busy (which routing offers customers in). The rule: docs/agent-api.md.
 */
export function Reachability() {
  const styles = useStyles();
  const { api, me, refreshMe, announce } = useWorkspace();
  const [error, setError] = useState<string | null>(null);
  const chosen = me.chosenPresence ?? me.presence;
  const shown = me.presenceLabel ?? PRESENCE_WORDS[chosen] ?? chosen;
  const offersWhen = me.offersWhen ?? ['available', 'busy'];
  const optedIn = me.queues.filter((q) => q.optedIn);
  const offered = offersWhen.includes(chosen) && optedIn.length > 0;
  const either = offersWhen.map((p) => PRESENCE_WORDS[p] ?? p).join(' or ');
  const quiet = ['do-not-disturb', 'away']
    .filter((p) => !offersWhen.includes(p))
    .map((p) => PRESENCE_WORDS[p]);
  const now =
    chosen === 'offline'
      ? `You are ${shown}: colleagues cannot consult you, and no customers are offered to you.`
      : offered
        ? `You are ${shown}: colleagues can consult you, and customers are offered to you.`
        : `You are ${shown}: colleagues can consult you; no customers are offered to you.`;

  const setOptIn = async (queueId: string, name: string, on: boolean) => {
    setError(null);
    try {
      await api.setQueueOptIn(queueId, on);
      refreshMe();
      announce(
        on ? `Customers of ${name} are offered to you again` : `No customers of ${name} are offered to you`,
      );
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <Card className={styles.card} aria-labelledby="reachability-title">
      <h3 className={styles.h3} id="reachability-title">
        Consults and customer offers
      </h3>
      <Text data-testid="reachability-now">{now}</Text>
      <Text size={200} className={styles.muted}>
        Colleagues can consult you in any presence but Offline. Customers are offered to you only while you
        are {either} in a queue switched on below.
        {quiet.length > 0 &&
          ` To take consults only, choose ${quiet.join(' or ')}, or switch your queues off.`}
      </Text>
      {me.queues.length > 0 && (
        <ul className={styles.queues} aria-label="Queues that offer you customers">
          {me.queues.map((q) => (
            <li key={q.id}>
              <Switch
                checked={q.optedIn}
                label={`Offer me ${q.name} customers`}
                onChange={(_, d) => void setOptIn(q.id, q.name, d.checked)}
              />
            </li>
          ))}
        </ul>
      )}
      {error && (
        <Text role="alert" size={200}>
          {error}
        </Text>
      )}
    </Card>
  );
}
