// The in-context behaviour thresholds on the shipped pool (late cooperation against each style),
// fixed in issue 4 before the runs they judge; read by summarize.ts and plannerSettings.bench.ts.
export const IN_CONTEXT_THRESHOLDS: Record<string, ['>=' | '<=', number]> = {
  'tit-for-tat': ['>=', 0.9],
  'grim-trigger': ['>=', 0.9],
  'always-defect': ['<=', 0.1],
  random: ['<=', 0.1],
  'two-strike-grim': ['>=', 0.9],
  'suspicious-tit-for-tat': ['>=', 0.9],
  'mostly-defect': ['<=', 0.1],
};
