// The agent API's public face: routes as data, the registrar that mounts them, the OpenAPI builder.
export { defineRoute, type ApiRoute, type Caller, type RouteContext } from './route-definition.js';
export { mountAgentApi, DEV_MODE_HEADER, type AgentApiOptions } from './mount-agent-api.js';
export { mountApiRoutes, API_BASE, type Authenticator } from './registrar.js';
export { buildOpenApiDocument } from './openapi.js';
export type { AgentDirectory } from './identity-routes.js';
export { adminRoutes } from './admin-routes.js';
