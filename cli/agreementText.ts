// The words of `train`'s witness line for how far two training seeds class their common latents
// alike (SplitResult.seedAgreement). With no latent in common the fraction is undefined (NaN in
// the split, null in --json); the line says so instead of printing "NaN%".
import type { SplitResult } from '../sae/index.js';

type Tally = { matched: number; fraction: number };
const counted = (n: Tally) => n.matched > 0 && Number.isFinite(n.fraction);
const percent = (n: Tally) => `${(100 * n.fraction).toFixed(0)}%`;

/** "classes agree on 92% of 12 reproduced (88% of all 16 matched)", or what stands in for it. */
export function agreementText(a: NonNullable<SplitResult['seedAgreement']>): string {
  const head = counted(a) ? `classes agree on ${percent(a)} of ${a.matched} reproduced` : 'classes: no reproduced latent to compare';
  if (!a.allMatched) return head;
  const all = counted(a.allMatched) ? `${percent(a.allMatched)} of all ${a.allMatched.matched} matched` : 'none matched at all';
  return `${head} (${all})`;
}
