#!/bin/bash
# Fresh held-out runs for the detector (docs/RESULTS.md "EWMA weight, horizon rule and the latents the views compare"):
# hierarchical and layernorm-residual, seeds 1-2, lag 10 and 20, half the episodes with a drift; `train` with no flags.
#   bash bench/conflicts/blindViews.sh [OUTDIR]
set -u
cli="npx tsx $(cd "$(dirname "$0")" && pwd)/../../cli/main.ts"
out=${1:-/tmp/s17/blind}; mkdir -p $out
for fam in hierarchical layernorm-residual; do for seed in 1 2; do for lag in 10 20; do
  d=$out/$fam-$seed-$lag
  [ -d $d.ck ] && continue
  $cli record synthetic --family $fam --seed $seed --lag $lag --conflicts 0.5 --episodes 48 --out $d > /dev/null 2>&1
  $cli train $d --out $d.ck > $d.train.log 2>&1
  echo trained $d
done; done; done
# detect at the defaults and with the split-shared views; one line per run and setting (as viewsGrid.sh)
for fam in hierarchical layernorm-residual; do for seed in 1 2; do for lag in 10 20; do
  d=$out/$fam-$seed-$lag
  for setting in default shared; do
    if [ $setting = default ]; then flags=(); else flags=(--views dictionary-shared); fi
    $cli detect $d --sae $d.ck "${flags[@]}" --out $d.rep-$setting > $d.detect-$setting.log 2>&1
    python3 - $d.rep-$setting/report.json $(basename $d) $setting <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); e = r['evaluation']
c = {b.get('views'): b.get('evaluation') for b in r.get('baselines') or []}['cca-raw']
f = lambda x: f"{x['flaggedBefore']}/{x['conflicts']} {x['falseAlarmsPer1000']:.2f} {x['auroc']:.3f} {x['curveArea']:.2f}"
print(sys.argv[2], sys.argv[3], 'H', r['detector']['horizon'], '| dictionary', f(e), '| cca', f(c), flush=True)
PY
  done
done; done; done
