export * from './zeroDeterminant.js';
export * from './generateStrategy.js';
export * from './populationSplits.js';
export * from './optimumError.js';
export * from './optimum.js';
export * from './machineAgent.js';
export * from './bayesAgent.js';
export * from './evaluateOptimum.js';
