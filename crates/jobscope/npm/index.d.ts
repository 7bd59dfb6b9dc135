export { validateRequest, buildRequest, parseResponse, explainError, signRequest } from './jobscope.js';
export type * from './jobscope.js';
