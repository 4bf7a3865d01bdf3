// Picks the tensor backend at run time: tfjs-node-gpu → tfjs-node → wasm → cpu, by what is
// installed and starts. The tfjs-node packages download libtensorflow when installed, so
// they are optional: a user with a GPU and internet runs `npm install @tensorflow/tfjs-node-gpu`
// and gets it here without any other change (docs/GPU.md).
import * as tf from '@tensorflow/tfjs';
import { BackendError } from './errors.js';

export const BACKEND_NAMES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendInfo {
  /** What ran: one of BACKEND_NAMES. Printed and stored in every checkpoint cfg. */
  name: BackendName;
  /** tfjs' own name of the backend ('tensorflow', 'wasm', 'cpu'). */
  tfName: string;
  /** Why earlier candidates were skipped. */
  skipped: { name: BackendName; reason: string }[];
}

let current: BackendInfo | null = null;

/** The backend chosen by the last selectBackend call (null before the first). */
export function currentBackend(): BackendInfo | null {
  return current;
}

async function tryStart(name: BackendName): Promise<string> {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      // A variable specifier keeps bundlers and tsc from resolving a package that is absent.
      const spec = `@tensorflow/${name}`;
      await import(/* @vite-ignore */ spec);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs could not start its tensorflow backend');
      return 'tensorflow';
    }
    case 'wasm': {
      await import('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start the wasm backend');
      return 'wasm';
    }
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('tfjs could not start the cpu backend');
      return 'cpu';
  }
}

/**
 * Starts the fastest backend that works, or exactly `force` (which fails loudly when it is
 * not installed). Safe to call repeatedly; switching backends is allowed between trainings.
 */
export async function selectBackend(force?: BackendName | 'auto'): Promise<BackendInfo> {
  if (force && force !== 'auto' && !BACKEND_NAMES.includes(force)) {
    throw new BackendError(`unknown backend '${force}'; choose one of ${BACKEND_NAMES.join(', ')} or auto`);
  }
  const candidates: readonly BackendName[] = force && force !== 'auto' ? [force] : BACKEND_NAMES;
  const skipped: BackendInfo['skipped'] = [];
  for (const name of candidates) {
    try {
      const tfName = await tryStart(name);
      await tf.ready();
      current = { name, tfName, skipped };
      return current;
    } catch (err) {
      skipped.push({ name, reason: (err as Error).message.split('\n')[0]! });
    }
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new BackendError(force && force !== 'auto' ? `backend '${force}' is not available (${why})` : `no tensor backend could start (${why})`);
}
