export * from './styleSpec.js';
export * from './poolError.js';
export * from './parsePool.js';
export * from './compileStyle.js';
export * from './stylePlayers.js';
export * from './loadPool.js';
