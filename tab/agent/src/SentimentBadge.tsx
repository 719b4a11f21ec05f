import { Badge } from '@fluentui/react-components';
import { sentimentColor, sentimentLevel, titleCase } from './format.js';
import type { Sentiment, SentimentLevel } from './types.js';

export function SentimentBadge({
  value,
  prefix = 'Sentiment',
}: {
  value: Sentiment | SentimentLevel | undefined | null;
  prefix?: string;
}) {
  const level = sentimentLevel(value);
  return (
    <Badge
      appearance="tint"
      color={sentimentColor(level)}
      aria-label={`${prefix}: ${level ?? 'not known yet'}`}
      data-sentiment={level ?? 'unknown'}
      style={{ whiteSpace: 'nowrap', flexShrink: 0 }}
    >
      {level ? titleCase(level) : 'No sentiment yet'}
    </Badge>
  );
}
