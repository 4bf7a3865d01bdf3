export * from './tournament.js';
export * from './ecological.js';
export * from './moran.js';
export * from './tournamentReport.js';
