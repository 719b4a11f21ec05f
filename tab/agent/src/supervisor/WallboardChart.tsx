import {
  GroupedVerticalBarChart,
  ResponsiveContainer,
  type GroupedVerticalBarChartData,
} from '@fluentui/react-charts';
import { tokens } from '@fluentui/react-components';
import type { QueueRealtime } from '../types.js';

const SERIES: Array<{ key: keyof QueueRealtime; legend: string; color: string }> = [
  { key: 'agentsAvailable', legend: 'Agents available', color: tokens.colorPaletteGreenBackground3 },
  { key: 'agentsOnContact', legend: 'On contact', color: tokens.colorBrandBackground },
  {
    key: 'agentsAfterContactWork',
    legend: 'After-contact work',
    color: tokens.colorPaletteMarigoldBackground3,
  },
  { key: 'contactsInQueue', legend: 'Contacts waiting', color: tokens.colorPaletteRedBackground3 },
];

/** Agents and contacts per queue, one group of bars per queue. */
export default function WallboardChart({ data }: { data: QueueRealtime[] }) {
  const chart: GroupedVerticalBarChartData[] = data.map((q) => ({
    name: q.queueName ?? q.queueId,
    series: SERIES.map((s) => ({
      key: `${q.queueId}-${s.key}`,
      data: Number(q[s.key]) || 0,
      legend: s.legend,
      color: s.color,
      xAxisCalloutData: q.queueName ?? q.queueId,
      yAxisCalloutData: `${Number(q[s.key]) || 0}`,
    })),
  }));
  // The container measures its own width and hands it to the chart, so the bars follow a narrowed
  // window or Teams pane instead of keeping the width of the first render.
  return (
    <ResponsiveContainer height={280}>
      <GroupedVerticalBarChart
        data={chart}
        chartTitle="Agents and contacts per queue"
        barWidth="auto"
        hideLabels={false}
        yAxisTickCount={4}
      />
    </ResponsiveContainer>
  );
}
