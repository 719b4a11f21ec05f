/** Where a customer reads an article: the public knowledge page the server serves at `/kb/<id>`. */
export function knowledgePageUrl(publicUrl: string, articleId: string): string {
  return `${publicUrl}/kb/${encodeURIComponent(articleId)}`;
}
