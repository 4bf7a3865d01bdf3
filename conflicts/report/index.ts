export * from './conflictReport.js';
export * from './escape.js';
export * from './flagsCsv.js';
export * from './markdownReport.js';
export * from './svgCharts.js';
export * from './htmlReport.js';
export * from './writeReport.js';
