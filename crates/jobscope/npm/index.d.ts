export { validateRequest, buildRequest, parseResponse, explainError } from './jobscope.js';
export type * from './jobscope.js';
