// Scores per-edge flags against a network run's injected faults. A fault counts as flagged
// before a neighbour acts when an edge of the faulty node raises a flag at a step from the
// fault's start up to (not including) the first step a neighbour's belief differs from the
// same episode without the fault; lead = that step − the flag's step. Flags on clean episodes
// held out from fitting and calibration are false alarms (per 1000 edge-steps).
import { bootstrapGroups, type Interval } from '../../util/bootstrap.js';
import { median } from '../../util/quantile.js';
import { flagRows } from '../score/flagger.js';
import type { NetworkFault } from '../input/networkTruth.js';

export interface EdgeFaultOutcome {
  episode: number;
  node: number;
  kind: string;
  faultStep: number;
  neighbourActedStep: number | null;
  /** First flag at or after the fault's start on an edge of the faulty node (null: none). */
  firstFlagStep: number | null;
  /** The edge of that flag. */
  flaggedEdge: [number, number] | null;
  flaggedBeforeAct: boolean;
  /** neighbourActedStep − firstFlagStep when flagged before the act. */
  lead: number | null;
  /** Flags on any edge of the episode before the fault's start (false alarms). */
  flagsBeforeFault: number;
}

export interface EdgeFaultSummary {
  faults: number;
  /** Faults some neighbour acted on. */
  acted: number;
  flaggedBeforeAct: number;
  /** Of the faults a neighbour acted on, the share flagged before it did (bootstrap over faults). */
  shareBeforeAct: Interval | null;
  /** Faults flagged at all (at or after their start). */
  flagged: number;
  medianLead: number | null;
  meanLead: number | null;
  leads: number[];
  /** On held-out clean episodes. */
  falseAlarms: number;
  edgeSteps: number;
  falseAlarmsPer1000: number;
}

export function evaluateEdgeFault(f: NetworkFault, edges: readonly (readonly [number, number])[], z: readonly Float64Array[], steps: Int32Array, threshold: number, rearm: number): EdgeFaultOutcome {
  let first: number | null = null;
  let flaggedEdge: [number, number] | null = null;
  let before = 0;
  edges.forEach(([u, v], i) => {
    for (const r of flagRows(z[i]!, threshold, rearm)) {
      const s = steps[r]!;
      if (s < f.step) before++;
      else if ((u === f.node || v === f.node) && (first === null || s < first)) {
        first = s;
        flaggedEdge = [u, v];
      }
    }
  });
  const acted = f.neighbourActedStep;
  const beforeAct = first !== null && acted !== null && first < acted;
  return {
    episode: f.episode,
    node: f.node,
    kind: f.kind,
    faultStep: f.step,
    neighbourActedStep: acted,
    firstFlagStep: first,
    flaggedEdge,
    flaggedBeforeAct: beforeAct,
    lead: beforeAct ? acted! - first! : null,
    flagsBeforeFault: before,
  };
}

/** Flags on clean episodes' edges: every one is a false alarm. */
export function cleanFlags(z: readonly Float64Array[], threshold: number, rearm: number): { flags: number; edgeSteps: number } {
  let flags = 0;
  let edgeSteps = 0;
  for (const x of z) {
    flags += flagRows(x, threshold, rearm).length;
    edgeSteps += x.length;
  }
  return { flags, edgeSteps };
}

export function summariseEdgeFaults(outcomes: readonly EdgeFaultOutcome[], clean: { flags: number; edgeSteps: number }, seed = 0): EdgeFaultSummary {
  const acted = outcomes.filter((o) => o.neighbourActedStep !== null);
  const leads = outcomes.filter((o) => o.lead !== null).map((o) => o.lead!);
  const share = (xs: readonly EdgeFaultOutcome[]) => (xs.length ? xs.filter((o) => o.flaggedBeforeAct).length / xs.length : NaN);
  return {
    faults: outcomes.length,
    acted: acted.length,
    flaggedBeforeAct: acted.filter((o) => o.flaggedBeforeAct).length,
    shareBeforeAct: acted.length ? bootstrapGroups(acted, share, { seed }) : null,
    flagged: outcomes.filter((o) => o.firstFlagStep !== null).length,
    medianLead: leads.length ? median(leads) : null,
    meanLead: leads.length ? leads.reduce((s, x) => s + x, 0) / leads.length : null,
    leads,
    falseAlarms: clean.flags,
    edgeSteps: clean.edgeSteps,
    falseAlarmsPer1000: clean.edgeSteps ? (1000 * clean.flags) / clean.edgeSteps : NaN,
  };
}
