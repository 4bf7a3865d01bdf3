#!/bin/bash
# The split at `train`'s defaults on runs written outside thoughtlens (bench/sae/foreign_generator.py),
# truth attached with `thoughtlens truth attach`, scored with `eval-truth` on held-out episodes.
#   bash bench/sae/foreign.bench.sh OUTDIR "1 2 3 4 5" [generator flags…]
# Prints one line per seed: counts (variables labelled / true / latents), class precision and
# recall, F1, MCC with signed pairs joined and per latent. ≈ 40 s per seed at the generator's
# defaults on 2 cores.
set -euo pipefail
out=$1; seeds=$2; shift 2
mkdir -p "$out"
cli="npx tsx $(dirname "$0")/../../cli/main.ts"
for s in $seeds; do
  d="$out/f$s"
  rm -rf "$d" "$d".*
  python3 "$(dirname "$0")/foreign_generator.py" --out "$d" --seed "$s" "$@"
  $cli truth attach "$d" --structure "$d.structure.json" --latents "$d.latents.arrows" > /dev/null
  $cli train "$d" --out "$d.ck" > "$d.train.log" 2>&1
  $cli eval-truth "$d.ck" "$d" --json > "$d.eval.json"
  python3 - "$d" "$s" <<'PY'
import json, sys
d, s = sys.argv[1], sys.argv[2]
e = json.load(open(d + '.eval.json'))
pl = e['perLatent']
print(json.dumps({
  'seed': int(s),
  'counts': {k: [v['labelled'], v['truth'], v['latents']] for k, v in e['countsVsTruth'].items()},
  'precision': {k: v['precision'] for k, v in e['classes'].items()},
  'recall': {k: v['recall'] for k, v in e['classes'].items()},
  'f1': e['structure']['f1'], 'mcc': e['mcc']['pearson'], 'signedPairs': e['signedPairs'],
  'f1PerLatent': pl['structureF1'] if pl else e['structure']['f1'],
  'mccPerLatent': pl['mcc']['pearson'] if pl else e['mcc']['pearson'],
}))
PY
done
