// The import rules of docs/architecture.md ("Layers"), checked on every `npm run lint`.
// A rule names what a layer may NOT reach; everything else is allowed.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Modules form a graph, not a knot: a cycle makes start-up order and tests fragile.',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-is-pure',
      comment: 'services/domain holds rules over plain data; it imports nothing of ours outside it.',
      severity: 'error',
      from: { path: '^services/domain/' },
      to: { path: '^(services/(?!domain/)|bot/|tab/|bench/|test/|manifest/)' },
    },
    {
      name: 'services-know-no-adapters',
      comment:
        'Below the composition root (app.ts, main.ts) services never import the bot, the browser code, ' +
        'Bot Framework or React.',
      severity: 'error',
      from: { path: '^services/', pathNot: '^services/(app|main)\\.ts$' },
      to: {
        path: '^(bot/|tab/)|node_modules/(botbuilder|botframework-[^/]+|react|react-dom|@fluentui/[^/]+)/',
      },
    },
    {
      name: 'only-http-speaks-restify',
      comment: 'restify belongs to the HTTP adapter (services/http) and the bot adapter (bot/).',
      severity: 'error',
      from: { path: '^services/', pathNot: '^services/(http/|app\\.ts$|main\\.ts$)' },
      to: { path: 'node_modules/restify/' },
    },
    {
      name: 'bot-skips-services-http',
      comment: 'The bot is its own adapter: it answers HTTP itself and never borrows the API layer.',
      severity: 'error',
      from: { path: '^bot/' },
      // The server's origin policy, rate limits and upgrade owner reach the bot through its context
      // (bot/guards.ts, filled in by services/app.ts).
      to: { path: '^services/http/' },
    },
    {
      name: 'bot-uses-public-faces',
      comment:
        "The bot reaches services through their index.ts (and config/log): never a module's internals, " +
        'never the store adapters.',
      severity: 'error',
      from: { path: '^bot/' },
      to: {
        path: '^services/[^/]+/',
        pathNot: '^services/[^/]+/index\\.ts$',
      },
    },
    {
      name: 'capabilities-use-public-faces',
      comment:
        "A capability reaches another capability through its index.ts only (domain's files are plain " +
        'types and rules, reachable everywhere through its index.ts too).',
      severity: 'error',
      from: { path: '^services/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: {
        path: '^services/([^/]+)/',
        pathNot: ['^services/$1/', '^services/[^/]+/index\\.ts$', '^services/domain/'],
      },
    },
    {
      name: 'tab-imports-only-types',
      comment: 'Browser code talks to the server over HTTP; from the server it may take shared types only.',
      severity: 'error',
      from: { path: '^tab/' },
      to: { path: '^(services|bot)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-test-code-in-product',
      comment: 'Product code never imports tests or benchmarks.',
      severity: 'error',
      from: { path: '^(services|bot|tab)/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|tab/dist|dist|data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
