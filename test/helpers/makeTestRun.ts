// Builds small deterministic runs for tests.
import { join } from 'node:path';
import {
  createRun,
  type AgentSpec,
  type RunWriter,
  type RunWriterOptions,
} from '../../data/index.js';

/** Deterministic value of hidden element k of agent a at (episode, step). */
export function hiddenValue(a: number, episode: number, step: number, k: number): number {
  return Math.fround(Math.sin(a * 1000 + episode * 31 + step * 0.37 + k * 0.011));
}

export function testAgents(dims: number[] = [8, 6]): AgentSpec[] {
  return dims.map((d, a) => ({
    id: String.fromCharCode(65 + a),
    hiddenSize: d,
    columns: [
      { name: 'action', type: 'int32', role: 'action' },
      { name: 'reward', type: 'float32', role: 'reward' },
      { name: 'defected', type: 'bool', role: 'event' },
    ],
  }));
}

export interface TestRunOptions extends Partial<RunWriterOptions> {
  episodes?: number;
  steps?: number;
  dims?: number[];
  /** Leave the run open (status recording) instead of closing it. */
  leaveOpen?: boolean;
}

export function makeTestRun(
  root: string,
  name = 'run1',
  o: TestRunOptions = {},
): { dir: string; writer: RunWriter } {
  const dir = join(root, name);
  const agents = o.agents ?? testAgents(o.dims);
  const writer = createRun(dir, {
    source: { kind: 'test' },
    agents,
    flushIntervalMs: 0,
    batchRows: o.batchRows ?? 16,
    ...o,
  });
  writeSteps(writer, agents, o.episodes ?? 3, o.steps ?? 20);
  if (!o.leaveOpen) writer.close();
  return { dir, writer };
}

export function writeSteps(
  writer: RunWriter,
  agents: AgentSpec[],
  episodes: number,
  steps: number,
  episodeOffset = 0,
): void {
  for (let e = episodeOffset; e < episodeOffset + episodes; e++) {
    for (let t = 0; t < steps; t++) {
      agents.forEach((ag, a) => {
        const h = new Float32Array(ag.hiddenSize);
        for (let k = 0; k < ag.hiddenSize; k++) h[k] = hiddenValue(a, e, t, k);
        writer.append(ag.id, {
          episode: [e],
          step: [t],
          hidden: h,
          columns: { action: [(e + t + a) % 2], reward: [t * 0.5], defected: [t % 7 === 0] },
        });
      });
    }
  }
}
