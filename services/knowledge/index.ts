// The knowledge capability's public face: ranked article search for `/kb`, the bot's self-service
// and smart assist.
export {
  createKnowledgeIndex,
  FIELD_BOOST,
  type IndexableArticle,
  type KnowledgeHit,
  type KnowledgeIndex,
  type KnowledgeSearchOptions,
  matchedPhrases,
  matchedSurfaceTerms,
  SEARCH_OPTIONS,
  termsOf,
  Vocabulary,
} from './knowledge-index.js';
export { indexTerm, queryTerms, tokenizeForSearch } from './terms.js';
export { foldForMatching } from './fold.js';
export { snippetFor } from './snippet.js';
export { knowledgePageUrl } from './page-url.js';
export { isAgentsOnly, isForAgents, isForCustomers, isPublished } from './audience.js';
export {
  followArticles,
  type ArticleSource,
  type FollowedArticles,
  type FollowOptions,
} from './follow-articles.js';
