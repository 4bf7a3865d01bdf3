// The server ↔ web protocol: types only (STYLE.md: a types-only module both sides import).
// Every JSON response is one of these; errors are always `ApiError`.

/** Media type a client sends in `Accept` to get Arrow IPC stream bytes instead of JSON. */
export const ARROW_STREAM_TYPE = 'application/vnd.apache.arrow.stream';

export interface ApiError {
  error: { code: string; message: string };
}

export type RunStatusView = 'recording' | 'complete' | 'aborted' | 'stale' | 'unreadable' | 'corrupt';

export interface AgentSummary {
  id: string;
  hiddenSize: number;
  rows: number;
}

export interface RunSummary {
  id: string;
  status: RunStatusView;
  /** True while steps may still arrive (recording with a live writer). */
  live: boolean;
  createdAt?: string;
  updatedAt?: string;
  sourceKind?: string;
  agents: AgentSummary[];
  /** Joined steps (rows every agent has), as far as the manifest counts. */
  steps: number;
  bytes: number;
  codes: string[];
  reports: string[];
  error?: string;
}

export interface RunsResponse {
  workspace: string;
  runs: RunSummary[];
}

export interface ColumnInfo {
  name: string;
  type: string;
  role: string;
}

export interface RunDetail extends RunSummary {
  source?: { kind: string; params?: Record<string, unknown> };
  agentSpecs: { id: string; hiddenSize: number; model?: string; layer?: string; columns: ColumnInfo[] }[];
  notes: string[];
  truth: string[];
}

/** Rows [from, to) of the joined behaviour columns. Row index = position on the time axis. */
export interface BehaviourResponse {
  from: number;
  to: number;
  /** Rows available in total now (grows while a run records). */
  total: number;
  episode: number[];
  step: number[];
  /** agent id → column name → values. */
  agents: Record<string, Record<string, (number | boolean | string | null)[]>>;
}

export type LatentClass = string; // 'shared' | 'private-A' | 'private-B' | 'dead' | …

export interface CodesInfo {
  name: string;
  checkpoint?: string;
  numLatents: number;
  classes: LatentClass[];
  agents: string[];
  rows: number;
  /** Per latent: largest activation and fraction of steps where it is active. */
  latentMax: number[];
  activeFraction: number[];
}

/** Sparse codes of rows [from, to): CSR layout. */
export interface CodesRangeResponse {
  name: string;
  from: number;
  to: number;
  total: number;
  /** rowPtr[i]..rowPtr[i+1] index into indices/values for row from+i. */
  rowPtr: number[];
  indices: number[];
  values: number[];
}

/**
 * Heatmap of rows [from, to) in `bins` columns: binary body of numLatents × bins Float32
 * (latent-major, little-endian), the maximum activation per bin; this header (JSON) in
 * `X-Heatmap`.
 */
export interface HeatmapHeader {
  from: number;
  to: number;
  bins: number;
  numLatents: number;
  total: number;
  /** f32: Float32 maxima; u8: maxima scaled per latent by its largest activation to 0..255. */
  format: 'f32' | 'u8';
}

export interface FlagView {
  /** Row on the time axis. */
  row: number;
  episode?: number;
  step?: number;
  score: number;
  /** Latents that drove the flag, strongest first. */
  latents: { latent: number; weight: number; agent?: string }[];
  kind?: string;
}

export interface ReportView {
  name: string;
  run: string;
  schemaVersion?: string | number;
  /** The report's schema id, e.g. thoughtlens.conflict-report. */
  kind?: string;
  checkpoint?: string;
  threshold?: number;
  flags: FlagView[];
  /** Conflict score per row, where the report carries one (parallel arrays, rows ascending). */
  scores?: { row: number[]; score: number[] };
  events?: { row: number; kind?: string }[];
  /** Row ranges of reference data (fit/calibration episodes): not scored, so no score there. */
  reference?: { from: number; to: number }[];
  /** Episodes scored / with a score series in report.json (a report that keeps fewer series says so). */
  scoredEpisodes?: number;
  seriesEpisodes?: number;
  metrics?: Record<string, unknown>;
  /** Whether the detector found a representational precursor on its reference data, and the sentence that says so. */
  precursor?: { found: boolean; statement: string };
  files: string[];
  createdAt?: string;
}

export interface ReportsResponse {
  reports: { name: string; files: string[]; flags: number; checkpoint?: string }[];
}

export interface LatentDetail {
  codes: string;
  latent: number;
  class: LatentClass;
  activeFraction: number;
  max: number;
  /** Histogram of non-zero activations. */
  histogram: { x0: number; x1: number; count: number }[];
  topSteps: { row: number; episode: number; step: number; value: number; context: Record<string, Record<string, unknown>> }[];
  decoderNorms?: Record<string, number>;
  flags: { report: string; row: number; score: number; weight: number }[];
  /** Steps where it is active, per episode (how widely it fires). */
  episodes?: number;
  /** Split evidence of this latent per agent (split.json field → value: relevance, scaling, scalingLo/Hi, explained, threshold, …). */
  splitEvidence?: { agent: string; values: Record<string, number | null>; extra?: unknown }[];
  /** Split evidence of this latent itself (frequency, activeRows, alpha, …). */
  latentEvidence?: Record<string, number | null>;
  /** Ground-truth thoughts this latent matches, when the run has truth and an evaluation exists. */
  matchedThoughts?: { thought: string; correlation: number }[];
  /** The checkpoint reference the codes came from (for links). */
  checkpoint?: string;
}

export interface CheckpointSummary {
  name: string;
  numLatents?: number;
  agents: string[];
  counts: Record<string, number>;
  createdAt?: string;
  error?: string;
}

export interface CheckpointsResponse {
  checkpoints: CheckpointSummary[];
}

export interface CheckpointDetail extends CheckpointSummary {
  cfg: unknown;
  metrics: unknown;
  /** split.json as written by the trainer (thresholds, per-latent classes, scores). */
  split: unknown;
  classes: LatentClass[];
  /** agent → decoder column norm per latent. */
  decoderNorms: Record<string, number[]>;
  /** Per latent, ‖D_A‖ / (‖D_A‖ + ‖D_B‖) for the first two agents (NaN when both are zero). */
  relativeNorm: number[];
  /** Hidden size per agent. */
  dims: Record<string, number>;
  mode: string;
  /** 'linearised' for an MLP decoder (its U·V directions). */
  decoderKind: 'linear' | 'linearised';
  /** False when the checkpoint has no split.json (every latent is 'unsplit'). */
  hasSplit: boolean;
  /** Per-latent evidence from split.json, whatever it writes: agents × latents matrices and per-latent arrays by field name. */
  evidence: { perAgent: Record<string, (number | null)[][]>; perLatent: Record<string, (number | null)[]>; evidence?: unknown[] };
}

export interface CompareResponse {
  a: string;
  b: string;
  /** Latents of a matched to latents of b, best first. */
  matches: { a: number; b: number; cosine: number; classA: LatentClass; classB: LatentClass }[];
  /** classA → classB → count, over matched pairs. */
  transitions: Record<string, Record<string, number>>;
  countsA: Record<string, number>;
  countsB: Record<string, number>;
  meanCosine: number;
  numLatentsA: number;
  numLatentsB: number;
  /** Conflict statistics of one report per checkpoint (the one asked for, else the newest made with it), or null. */
  conflicts: { a: ConflictStats | null; b: ConflictStats | null };
  /** Reports made with each checkpoint ('<run>/<report>'), newest first: the choices of ?reportA= / ?reportB=. */
  reports: { a: string[]; b: string[] };
}

/** Numbers of one conflict report, as its report.json states them. */
export interface ConflictStats {
  /** '<run>/<report>'. */
  report: string;
  run: string;
  flags: number;
  /** Steps scored (held-out episodes). */
  scoredSteps: number;
  scoredEpisodes: number;
  flagsPer1000: number;
  /** Behavioural conflicts on scored episodes. */
  conflicts: number;
  /** Conflicts flagged before they happened (evaluation.flaggedBefore), null without events. */
  flaggedBefore: number | null;
  /** flaggedBefore / conflicts. */
  detectionRate: number | null;
  falseAlarmsPer1000: number | null;
  medianLead: number | null;
  auroc: number | null;
  threshold: number | null;
}

export interface CreateRunRequest {
  id?: string;
  source?: { kind?: string; params?: Record<string, unknown> };
  agents: { id: string; hiddenSize: number; model?: string; layer?: string; checkpoint?: string; columns?: ColumnInfo[] }[];
}

export interface CreateRunResponse {
  id: string;
  stepsUrl: Record<string, string>;
  finishUrl: string;
}

export interface AppendResponse {
  run: string;
  agent: string;
  /** Rows of this request stored now. */
  rows: number;
  /** Rows of this request dropped because the run already had them (a resend; see OFFSET_HEADER). */
  skipped: number;
  batches: number;
  /** Rows of this agent the run holds after this request (the offset of the next one). */
  totalRows: number;
}

/**
 * Request header of POST …/steps: the agent row at which this request's first step belongs.
 * A recorder that re-sends a request after a timeout sends the same offset; rows the run
 * already holds are skipped, so a retry never stores a step twice. An offset past the rows
 * held is refused (409): steps in between were lost on the way.
 */
export const OFFSET_HEADER = 'thoughtlens-offset';

export interface FinishResponse {
  run: string;
  status: string;
  counts: Record<string, { rows: number; batches: number; bytes: number }>;
}

/** Server-sent events on /api/events. */
export type LiveEvent =
  | { type: 'run'; run: string; rows: number; status: RunStatusView }
  | { type: 'runs'; runs: string[] }
  | { type: 'report'; run: string; report: string }
  | { type: 'codes'; run: string; codes: string; rows: number }
  | { type: 'ping'; time: number };

/** GET /api/runs/:id/network?episode=E: one episode of a network run (record network) as a graph over steps. */
export interface NetworkView {
  run: string;
  task: string;
  nodes: number;
  /** Undirected edges [u, v]. */
  edges: [number, number][];
  episodes: number[];
  episode: number;
  steps: number;
  /** Per step, per node: belief (what faults corrupt and propagation follows) and answer. */
  beliefs: number[][];
  answers: number[][];
  /** Per step, per node: an edge of the node violates the task's constraint (the recorded `disagree` event). */
  disagree: boolean[][];
  /** The episode's injected fault (null: a clean episode). */
  fault: { node: number; kind: string; step: number; neighbourActedStep: number | null; affectedPerStep: number[] } | null;
  /** Per edge, per step: representational divergence z-score (conflicts/detectEdges.ts, raw node views; null where unscored). */
  alignment: (number | null)[][];
  /** The calibrated flag threshold of those z-scores (1 % false alarms per edge-step on clean episodes); null when too few clean steps to calibrate. */
  threshold: number | null;
  views: string;
}

/** An estimate with its 95 % interval (null: not a number in the report, e.g. NaN written as null). */
export interface IntervalView {
  estimate: number | null;
  lo: number | null;
  hi: number | null;
}

/** GET /api/experiments: the experiment folders of the workspace (`thoughtlens experiment` writes them). */
export interface ExperimentsResponse {
  experiments: { name: string; hasReport: boolean; createdAt: string | null; conditions: number; error?: string }[];
}

/** One recorded run of a condition × seed, addressable by the run view as `#/run/<id>`. */
export interface ConditionRunRef {
  id: string;
  seed: number;
}

/** A condition of an experiment report (experiments/experimentReport.ts ConditionSummary). */
export interface ConditionView {
  condition: string;
  context: string;
  prefix: string;
  history: string;
  /** Metric key → pooled estimate with its bootstrap interval over (seed, co-player). */
  metrics: Record<string, IntervalView>;
  perSeed: { seed: number; fraction: number | null; bestRate: number | null; defection: number | null; firstDefection: number | null; adaptRounds: number | null }[];
  adaptRounds: (number | null)[];
  /** Mean best-response rate per round over seeds. */
  curve: (number | null)[];
  runs: ConditionRunRef[];
  /** Per recorded episode (every seed's run), the conditioned agent's defection rate (the `move` column); null when the condition has no runs. */
  defectionByEpisode: number[] | null;
}

/** A latent's shift from the baseline in one condition (experiments/representationShift.ts LatentShift). */
export interface LatentShiftView {
  condition: string;
  latent: number;
  mean: number | null;
  baseMean: number | null;
  deltaMean: number | null;
  rate: number | null;
  baseRate: number | null;
  deltaRate: number | null;
  d: IntervalView;
  p: number | null;
  q: number | null;
}

/** GET /api/experiments/:name: the experiment report, read-only, for the conditions view. */
export interface ExperimentView {
  name: string;
  description: string;
  baseline: string;
  seeds: number[];
  command: string;
  createdAt: string;
  alpha: number;
  /** Metric key → label, in the report's order. */
  metrics: { key: string; label: string }[];
  conditions: ConditionView[];
  /** Behaviour shift from the baseline, paired by (seed, co-player). */
  shifts: { condition: string; metric: string; delta: IntervalView; effectSize: number | null; p: number | null; q: number | null }[];
  /** Latent shift: every condition's top latents, ranked by |d| over all conditions; null without a dictionary. */
  representation: {
    latents: number | null;
    heldOut: string;
    tests: number;
    conditions: { condition: string; sameAgent: boolean; episodes: number; baseEpisodes: number; significant: number }[];
    ranked: LatentShiftView[];
  } | null;
}

/** An example episode of a condition: the moves of the conditioned agent and its unprimed copy, 0 = C, 1 = D. */
export interface ConditionEpisode {
  run: string;
  seed: number;
  episode: number;
  /** The episode's mean activation of the latent. */
  value: number;
  coPlayer: number | null;
  moves: number[];
  unprimed: number[];
  /** Rows of the run view (#/run/<run>?from=&to=) that span the episode. */
  from: number;
  to: number;
}

/** GET /api/experiments/:name/latents/:n: the latent's activation per held-out episode, per condition. */
export interface ConditionLatentView {
  experiment: string;
  latent: number;
  latents: number;
  heldOut: string;
  conditions: {
    condition: string;
    /** Per held-out episode (all seeds), the latent's mean activation over the episode's rounds. */
    values: number[];
    /** Per held-out episode, the share of rounds on which the latent fires. */
    rates: number[];
    mean: number | null;
    /** Episodes with the highest activation first (up to 3), and the lowest (1). */
    examples: ConditionEpisode[];
  }[];
}
