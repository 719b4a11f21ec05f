export { seedDemoData } from './seed.js';
export { DEMO_IDS, DEMO_SEED_MARKER } from './demo-ids.js';
export { TOPICS as DEMO_TOPICS, preChatSurvey as demoPreChatSurvey } from './demo-content.js';
export { knowledgeArticles } from './knowledge-articles.js';
