// The generator families by name (`record synthetic --family <name>`); 'mixing' is the default.
import { SyntheticConfigError } from '../errors.js';
import type { SyntheticFamily } from './family.js';
import { heavyTailedFamily } from './heavyTailed.js';
import { hierarchicalFamily } from './hierarchical.js';
import { layerNormResidualFamily } from './layerNormResidual.js';
import { linearCorrelatedFamily } from './linearCorrelated.js';
import { mixingFamily } from './mixing.js';
import { recurrentFamily } from './recurrent.js';
import { superposedFamily } from './superposed.js';

export const DEFAULT_FAMILY = 'mixing';

export const SYNTHETIC_FAMILIES: readonly SyntheticFamily[] = registerAll([
  mixingFamily,
  linearCorrelatedFamily,
  recurrentFamily,
  heavyTailedFamily,
  hierarchicalFamily,
  superposedFamily,
  layerNormResidualFamily,
]);

export function syntheticFamily(name: string): SyntheticFamily {
  const f = SYNTHETIC_FAMILIES.find((x) => x.name === name);
  if (!f) throw new SyntheticConfigError('family', `names unknown family '${name}' (families: ${SYNTHETIC_FAMILIES.map((x) => x.name).join(', ')})`);
  return f;
}

function registerAll(list: SyntheticFamily[]): SyntheticFamily[] {
  list.forEach((f, i) => {
    if (list.findIndex((g) => g.name === f.name) !== i) throw new Error(`synthetic family '${f.name}' registered twice`);
  });
  return list;
}
