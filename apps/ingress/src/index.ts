/** What other apps use from the ingress: its OpenAPI document (served by the admin). */
export { buildOpenApiDocument } from './openapi/openapi-document.js';
