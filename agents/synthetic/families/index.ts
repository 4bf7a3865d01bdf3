export * from './family.js';
export * from './mixing.js';
export * from './linearCorrelated.js';
export * from './recurrent.js';
export * from './heavyTailed.js';
export * from './hierarchical.js';
export * from './superposed.js';
export * from './registry.js';
