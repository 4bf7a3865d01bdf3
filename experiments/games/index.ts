export * from './gamesSpec.js';
export * from './runGamesExperiment.js';
export * from './gamesReport.js';
export * from './gamesMarkdown.js';
export * from './gamesCsv.js';
export * from './gamesHtml.js';
export * from './writeGamesReport.js';
