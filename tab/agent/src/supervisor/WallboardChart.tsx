import {
  GroupedVerticalBarChart,
  ResponsiveContainer,
  type GroupedVerticalBarChartData,
} from '@fluentui/react-charts';
import { makeStyles, tokens } from '@fluentui/react-components';
import { memo } from 'react';
import type { QueueRealtime } from '../types.js';
import { queueLabel } from './queue-label.js';

const SERIES: Array<{ key: keyof QueueRealtime; legend: string; color: string }> = [
  { key: 'agentsAvailable', legend: 'With room for a chat', color: tokens.colorPaletteGreenBackground3 },
  { key: 'agentsOnContact', legend: 'In a live chat', color: tokens.colorBrandBackground },
  { key: 'agentsAfterContactWork', legend: 'Wrapping up', color: tokens.colorPaletteMarigoldBackground3 },
  { key: 'contactsInQueue', legend: 'Customers waiting', color: tokens.colorPaletteRedBackground3 },
];

// The chart's legend capitalizes every word ("Agents Available"); the table beside it does not.
const useStyles = makeStyles({
  legend: { textTransform: 'none' },
  title: { margin: '0 0 4px', fontSize: tokens.fontSizeBase300 },
});

/** The figures the chart draws are the same (the longest wait, which grows by itself, it does not draw). */
function sameFigures(a: QueueRealtime[], b: QueueRealtime[]): boolean {
  return (
    a.length === b.length &&
    a.every((q, i) => {
      const r = b[i]!;
      return (
        q.queueId === r.queueId &&
        queueLabel(q) === queueLabel(r) &&
        SERIES.every((s) => Number(q[s.key]) === Number(r[s.key]))
      );
    })
  );
}

/**
 * Agents and contacts per queue, one group of bars per queue. Drawn again only when its figures
 * change: the board reads them every few seconds, and a chart is the costliest thing on it.
 */
export default memo(
  function WallboardChart({ data }: { data: QueueRealtime[] }) {
    const styles = useStyles();
    // People and contacts are counted whole: with two at most, four ticks would read 0.5 and 1.5.
    const highest = Math.max(0, ...data.flatMap((q) => SERIES.map((s) => Number(q[s.key]) || 0)));
    const chart: GroupedVerticalBarChartData[] = data.map((q) => ({
      name: queueLabel(q),
      series: SERIES.map((s) => ({
        key: `${q.queueId}-${s.key}`,
        data: Number(q[s.key]) || 0,
        legend: s.legend,
        color: s.color,
        xAxisCalloutData: queueLabel(q),
        yAxisCalloutData: `${Number(q[s.key]) || 0}`,
      })),
    }));
    // The container measures its own width and hands it to the chart, so the bars follow a narrowed
    // window or Teams pane instead of keeping the width of the first render.
    return (
      <figure style={{ margin: 0 }} aria-labelledby="wallboard-chart-title">
        <figcaption>
          <h4 className={styles.title} id="wallboard-chart-title">
            Agents and waiting customers per queue, now
          </h4>
        </figcaption>
        <ResponsiveContainer height={280}>
          <GroupedVerticalBarChart
            data={chart}
            chartTitle="Agents and waiting customers per queue, now"
            xAxisTitle="Queue"
            yAxisTitle="Agents or customers"
            barWidth="auto"
            hideLabels={false}
            yAxisTickCount={Math.max(1, Math.min(4, highest))}
            legendProps={{ styles: { legend: styles.legend } }}
          />
        </ResponsiveContainer>
      </figure>
    );
  },
  (a, b) => sameFigures(a.data, b.data),
);
