// Example: two toy "agents" (random recurrent nets) play a matching game and stream their
// hidden states into a running workbench.
//   npx tsx examples/node-recorder/main.ts --url http://127.0.0.1:4173 [--token T] [--steps 2000]
import { WorkbenchRecorder } from './workbenchRecorder.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}

const url = arg('url', 'http://127.0.0.1:4173');
const steps = Number(arg('steps', '2000'));
const d = 32;
const columns = [
  { name: 'action', type: 'int32' as const, role: 'action' as const },
  { name: 'reward', type: 'float32' as const, role: 'reward' as const },
];
const rec = await WorkbenchRecorder.create(url, {
  id: arg('id', `node-example-${Date.now()}`),
  agents: [
    { id: 'A', hiddenSize: d, model: 'toy-rnn', columns },
    { id: 'B', hiddenSize: d, model: 'toy-rnn', columns },
  ],
  token: process.argv.includes('--token') ? arg('token', '') : undefined,
});
const streams = { A: rec.stream('A'), B: rec.stream('B') };
let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
const h = { A: new Float32Array(d), B: new Float32Array(d) };
for (let t = 0; t < steps; t++) {
  for (const id of ['A', 'B'] as const) {
    for (let k = 0; k < d; k++) h[id][k] = Math.tanh(0.9 * h[id][k]! + 0.3 * rand());
  }
  const aA = h.A[0]! > 0 ? 1 : 0;
  const aB = h.B[0]! > 0 ? 1 : 0;
  const r = aA === aB ? 1 : 0;
  const ep = Math.floor(t / 100);
  streams.A.write({ episode: [ep], step: [t % 100], hidden: h.A.slice(), columns: { action: [aA], reward: [r] } });
  streams.B.write({ episode: [ep], step: [t % 100], hidden: h.B.slice(), columns: { action: [aB], reward: [r] } });
  if (t % 100 === 99) await new Promise((res) => setTimeout(res, 20)); // a model would take its time here
}
const [a, b] = await Promise.all([streams.A.close(), streams.B.close()]);
await rec.finish();
process.stdout.write(`recorded run ${rec.id}: A ${a.totalRows} steps, B ${b.totalRows} steps; open ${url}/#/run/${rec.id}\n`);
