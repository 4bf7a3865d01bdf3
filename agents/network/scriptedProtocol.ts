// The scripted baseline of each task, by task name.
import { floodingConsensus } from './floodingConsensus.js';
import { greedyColouring } from './greedyColouring.js';
import { greedyMatching } from './greedyMatching.js';
import { maxIdLeader } from './maxIdLeader.js';
import { minimalCover } from './minimalCover.js';
import type { Protocol } from './protocol.js';
import type { TaskName } from './task.js';

const BY_TASK: Record<TaskName, Protocol<unknown>> = {
  colouring: greedyColouring as Protocol<unknown>,
  'vertex-cover': minimalCover as Protocol<unknown>,
  matching: greedyMatching as Protocol<unknown>,
  'leader-election': maxIdLeader as Protocol<unknown>,
  consensus: floodingConsensus as Protocol<unknown>,
};

export function scriptedProtocol(task: TaskName): Protocol<unknown> {
  return BY_TASK[task];
}
