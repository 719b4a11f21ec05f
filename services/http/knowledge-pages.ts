import type restify from 'restify';
import type { KnowledgeArticle } from '../domain/index.js';
import { isForCustomers } from '../knowledge/index.js';
import type { Logger } from '../log.js';
import { route } from './errors.js';
import { mountPage } from './page-route.js';

// The public page behind every knowledge link an agent sends (`/kb/<article id>`): customers open
// it from their chat, signed in or not, so it shows the article and nothing else.

export interface KnowledgePagesOptions {
  articles: { get(id: string): Promise<KnowledgeArticle | null> };
  log: Logger;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Paragraphs on blank lines; "- " and "1. " lines become list items. */
export function articleHtml(article: Pick<KnowledgeArticle, 'title' | 'body' | 'product'>): string {
  const blocks = article.body
    .split(/\n\s*\n/u)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const lines = block.split('\n').map((l) => l.trim());
      if (lines.every((l) => /^(?:-|\d+\.)\s+/u.test(l))) {
        const tag = /^\d+\./u.test(lines[0] ?? '') ? 'ol' : 'ul';
        const items = lines.map((l) => `<li>${escapeHtml(l.replace(/^(?:-|\d+\.)\s+/u, ''))}</li>`).join('');
        return `<${tag}>${items}</${tag}>`;
      }
      return `<p>${lines.map(escapeHtml).join('<br>')}</p>`;
    })
    .join('\n');
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(article.title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
    '.product{color:#555;font-size:.9rem}</style></head><body><article>' +
    (article.product ? `<p class="product">${escapeHtml(article.product)}</p>` : '') +
    `<h1>${escapeHtml(article.title)}</h1>\n${blocks}</article></body></html>`
  );
}

export function mountKnowledgePages(server: restify.Server, opts: KnowledgePagesOptions): void {
  mountPage(
    server,
    '/kb/:id',
    route(opts.log, async (req, res) => {
      const id = String(req.params?.id ?? '');
      const found = id.length <= 200 ? await opts.articles.get(id) : null;
      // A draft or an agents-only article is not there for whoever has its link.
      const article = found && isForCustomers(found) ? found : null;
      const html = article
        ? articleHtml(article)
        : '<!doctype html><meta charset="utf-8"><title>Article not found</title>' +
          '<h1>This article is no longer available</h1><p>Ask the agent in your chat for an up-to-date link.</p>';
      res.writeHead(article ? 200 : 404, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        // The page is text only: nothing may run in it, whatever an article's body holds.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(html);
    }),
  );
}
