export * from './synthetic/index.js';
