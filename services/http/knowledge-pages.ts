import MarkdownIt from 'markdown-it';
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

/**
 * Articles are written in markdown (headings, bold, lists, links), as the widget shows their
 * extract. markdown-it with raw HTML off: a tag in an article is text, and a `javascript:` link is
 * not a link (docs/decisions/0027). Single line breaks stay breaks, as authors typed them.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });

export function articleHtml(article: Pick<KnowledgeArticle, 'title' | 'body' | 'product'>): string {
  const blocks = markdown.render(article.body);
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
