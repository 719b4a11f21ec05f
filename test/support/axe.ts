/** Accessibility scans (axe-core) for the browser suites: the agent tab and the chat widget. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** Serious and critical axe violations on the page (or inside `include`), as readable lines. */
export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    // Fluent's focus manager (tabster) puts aria-hidden sentinels at the edges of focus groups; one
    // that gets focus hands it on at once, so no one ever lands on them. axe cannot know that.
    .exclude('[data-tabster-dummy]');
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const found = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')} (${(n.failureSummary ?? '').replace(/\s+/g, ' ')})`);
      return `${v.impact} ${v.id}: ${v.help} — ${nodes.join(' | ')}`;
    });
  if (found.length) console.error(`[axe] ${found.join('\n[axe] ')}`);
  return found;
}
