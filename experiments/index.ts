export * from './errors.js';
export * from './experimentSpec.js';
export * from './runExperiment.js';
export * from './experimentReport.js';
export * from './experimentMarkdown.js';
export * from './experimentCsv.js';
export * from './experimentHtml.js';
export * from './writeExperimentReport.js';
