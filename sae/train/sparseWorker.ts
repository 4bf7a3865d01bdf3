// Worker thread of the sparse engine: runs one shard of every step (see sparseShard.ts).
import { workerData } from 'node:worker_threads';
import { Arena } from '../kernels/arena.js';
import { selectBackend, type BackendName } from '../backend.js';
import { selectMatmul, type MatmulName } from '../matmul.js';
import type { SparseBuffers, SparseLayout } from './sparseBuffers.js';
import { SparseShard } from './sparseShard.js';
import { barrier, CMD_EXIT, CTL } from './shardSync.js';

const { layout, buffers, memory, shard, backend, matmul } = workerData as {
  layout: SparseLayout;
  buffers: SparseBuffers;
  memory: WebAssembly.Memory;
  shard: number;
  backend: BackendName;
  matmul: MatmulName;
};
const ctl = buffers.ctl;
const parties = layout.ranges.length - 1;
try {
  await selectBackend(backend);
  // The same product as the calling thread (forced: a worker that cannot load it fails).
  const { gemm } = await selectMatmul(matmul);
  const sh = new SparseShard(layout, buffers, shard, new Arena(memory), gemm);
  Atomics.add(ctl, CTL.READY, 1);
  Atomics.notify(ctl, CTL.READY);
  let seen = 0;
  for (;;) {
    while (Atomics.load(ctl, CTL.SEQ) === seen) Atomics.wait(ctl, CTL.SEQ, seen);
    seen = Atomics.load(ctl, CTL.SEQ);
    if (Atomics.load(ctl, CTL.CMD) === CMD_EXIT) break;
    sh.step(() => barrier(ctl, parties));
    barrier(ctl, parties); // the step is complete on every thread
  }
} catch (err) {
  console.error(`sparse engine worker ${shard}: ${(err as Error).stack ?? String(err)}`);
  Atomics.store(ctl, CTL.ERROR, 1);
  Atomics.add(ctl, CTL.GEN, 1);
  Atomics.notify(ctl, CTL.GEN);
  Atomics.notify(ctl, CTL.READY);
}
