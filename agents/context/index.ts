export * from './bestResponseEpisodes.js';
export * from './burstyContexts.js';
export * from './historyTransform.js';
export * from './peerPrefix.js';
export * from './playInContext.js';
export * from './evaluateAdaptation.js';
export * from './trainContextAgent.js';
export * from './onPolicyEpisodes.js';
