import { knowledgeArticles } from '../../demo/index.js';
import { createKnowledgeIndex } from '../../knowledge/index.js';
import type { KbQuestion } from './load.js';
import { rankingReport } from './metrics.js';

export function evaluateKnowledgeSearch(
  questions: readonly KbQuestion[],
): ReturnType<typeof rankingReport> & { misses: string[] } {
  const index = createKnowledgeIndex(knowledgeArticles);
  const misses: string[] = [];
  const ranks = questions.map((q) => {
    const hits = index.search(q.question, { limit: 10 });
    const i = hits.findIndex((h) => h.id === q.articleId);
    if (i !== 0)
      misses.push(
        `"${q.question}" → ${hits[0]?.id ?? 'nothing'} (want ${q.articleId}, rank ${i < 0 ? '>10' : i + 1})`,
      );
    return i < 0 ? undefined : i + 1;
  });
  return { ...rankingReport(ranks, 3), misses };
}
