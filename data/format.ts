// Constants of run format version 1 (docs/FORMAT.md). Bump FORMAT_VERSION on any change
// that an older reader would misread.

export const FORMAT_ID = 'thoughtlens-run';
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'run.json';
export const STREAMS_DIR = 'agents';
export const TRUTH_DIR = 'truth';
export const STREAM_EXTENSION = '.arrows';

/** Column names every agent stream has, in this order. */
export const KEY_COLUMNS = ['episode', 'step'] as const;
export const HIDDEN_COLUMN = 'hidden';

export function streamFileName(agentId: string): string {
  return `${STREAMS_DIR}/${agentId}${STREAM_EXTENSION}`;
}

/** Agent and run ids become file names: keep them to a safe alphabet. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
