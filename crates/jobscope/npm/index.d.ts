export { validateRequest, buildRequest, parseResponse, parseMqttMessage, explainError, signRequest } from './jobscope.js';
export type * from './jobscope.js';
