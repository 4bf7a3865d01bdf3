// A fitted detector: channels (view maps and normalisation), a combiner per channel, the
// calibrated threshold and where it all came from. Stored as one JSON file so that every
// result reproduces from it.
import { readFileSync } from 'node:fs';
import { writeFileAtomic, type ColumnSpec } from '../data/index.js';
import { BehaviourChannel, type BehaviourChannelJson } from './score/behaviourChannel.js';
import type { Calibration } from './calibrate/calibrate.js';
import type { Channel } from './score/channel.js';
import { Combiner, type CombinerJson } from './score/combiner.js';
import { resolveDetectorConfig, type ResolvedDetectorConfig } from './detectorConfig.js';
import { DetectorFormatError } from './errors.js';
import type { EventSpec } from './input/events.js';
import { PairChannel, type PairChannelJson } from './score/pairChannel.js';
import { LinearViewModel } from './score/viewModel.js';

export const DETECTOR_SCHEMA = 'thoughtlens.conflict-detector';
/** 2: pair channels may carry a statistic and level bins (absent in version 1: MEWMA, one spread per latent). */
export const DETECTOR_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

export interface PrecursorInfo {
  feature: string;
  /** AUROC of the feature alone for "a conflict follows within H" on training episodes. */
  auroc: number;
}

export interface DetectorProvenance {
  run?: string;
  fitEpisodes: number[];
  calibrationEpisodes: number[];
  views: string;
  dictionary?: Record<string, unknown>;
  notes: string[];
  /** How the horizon was set: given as an option, or read off the reference data (fitDetector.ts, chooseHorizon). */
  horizon?: { chosen: number; from: 'option' | 'reference'; lagAuroc?: number[] };
  /** AUROC of the final score on the calibration episodes (held back from fitting) for conflicts within H. */
  referenceAuroc?: number;
  /** False unless the reference data shows a representational precursor (referenceAuroc at or above PRECURSOR_CHANCE_AUROC; NaN, with no behavioural conflict in the calibration episodes, is not one). */
  precursorFound?: boolean;
}

export interface Detector {
  createdAt: string;
  config: ResolvedDetectorConfig;
  agents: string[];
  columnSpecs: ColumnSpec[][];
  events: EventSpec;
  channels: Channel[];
  combiners: Combiner[];
  precursors: PrecursorInfo[][];
  calibration: Calibration;
  provenance: DetectorProvenance;
}

export interface DetectorJson {
  schema: typeof DETECTOR_SCHEMA;
  version: number;
  createdAt: string;
  config: ResolvedDetectorConfig;
  agents: string[];
  columnSpecs: ColumnSpec[][];
  events: EventSpec;
  channels: (PairChannelJson | BehaviourChannelJson)[];
  combiners: CombinerJson[];
  precursors: PrecursorInfo[][];
  calibration: Omit<Calibration, 'threshold'> & { threshold: number | 'Infinity' };
  provenance: DetectorProvenance;
}

export function detectorToJson(d: Detector): DetectorJson {
  return {
    schema: DETECTOR_SCHEMA,
    version: DETECTOR_VERSION,
    createdAt: d.createdAt,
    config: d.config,
    agents: d.agents,
    columnSpecs: d.columnSpecs,
    events: d.events,
    channels: d.channels.map((c) => c.toJSON() as PairChannelJson | BehaviourChannelJson),
    combiners: d.combiners.map((c) => c.toJSON()),
    precursors: d.precursors,
    calibration: { ...d.calibration, threshold: Number.isFinite(d.calibration.threshold) ? d.calibration.threshold : 'Infinity' },
    provenance: d.provenance,
  };
}

export function detectorFromJson(j: DetectorJson, file?: string): Detector {
  const loc = file ? { file } : {};
  if (j?.schema !== DETECTOR_SCHEMA) throw new DetectorFormatError(`not a conflict detector (schema ${JSON.stringify(j?.schema)})`, loc);
  if (!READABLE_VERSIONS.includes(j.version)) {
    throw new DetectorFormatError(`detector version ${j.version}; this thoughtlens reads versions ${READABLE_VERSIONS.join(', ')}`, loc);
  }
  if (!Array.isArray(j.channels) || !Array.isArray(j.combiners) || j.channels.length !== j.combiners.length || j.channels.length === 0) {
    throw new DetectorFormatError('detector needs one combiner per channel and at least one channel', loc);
  }
  const channels: Channel[] = j.channels.map((c) => {
    if (c.kind === 'pair') return new PairChannel(LinearViewModel.fromJSON(c.viewModel), c.agentIndex, c.lambda, c.norm) as Channel;
    if (c.kind === 'behaviour') return new BehaviourChannel(c.agents, c.lambda, c.columns, c.mismatch, c.events, j.columnSpecs) as Channel;
    throw new DetectorFormatError(`unknown channel kind ${JSON.stringify((c as { kind: unknown }).kind)}`, loc);
  });
  return {
    createdAt: j.createdAt,
    // Version 1 detectors predate the statistic and level-bin options: their channels use MEWMA and one spread.
    config: resolveDetectorConfig({ ...(j.version === 1 ? { statistic: 'mewma' as const, levelBins: 1 } : {}), ...j.config }),
    agents: j.agents,
    columnSpecs: j.columnSpecs,
    events: j.events,
    channels,
    combiners: j.combiners.map((c) => new Combiner(c)),
    precursors: j.precursors ?? [],
    calibration: { ...j.calibration, threshold: j.calibration.threshold === 'Infinity' ? Infinity : j.calibration.threshold },
    provenance: j.provenance,
  };
}

export function saveDetector(file: string, d: Detector): void {
  writeFileAtomic(file, JSON.stringify(detectorToJson(d)) + '\n');
}

export function loadDetector(file: string): Detector {
  let json: DetectorJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as DetectorJson;
  } catch (err) {
    throw new DetectorFormatError(`cannot read detector: ${(err as Error).message}`, { file });
  }
  try {
    return detectorFromJson(json, file);
  } catch (err) {
    if (err instanceof DetectorFormatError || (err as { code?: unknown }).code !== undefined && typeof (err as { code?: unknown }).code === 'string' && String((err as { code: string }).code).startsWith('TL_')) throw err;
    throw new DetectorFormatError(`detector file is malformed (${(err as Error).message}); fit the detector again with thoughtlens detect`, { file });
  }
}
