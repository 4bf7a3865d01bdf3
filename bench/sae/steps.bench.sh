#!/bin/bash
# Training length at `train`'s defaults: each run is recorded once, then trained with no flags
# but `--steps N` for every N given, and scored with `eval-truth` on held-out episodes.
#   bash bench/sae/steps.bench.sh OUTDIR "2000 6000" RUN...
# A RUN is as in recordRun.sh: `synthetic:<family>:<seed>` or `foreign:<seed>[:<generator flags>]`.
# Prints one JSON line per run and step count: class precision / recall, F1, MCC, FVU, train seconds.
set -euo pipefail
out=$1; steps=$2; shift 2
mkdir -p "$out"
# shellcheck source=recordRun.sh
source "$(dirname "$0")/recordRun.sh"
for run in "$@"; do
  record_run "$out" "$run"
  d=$RUN_DIR
  for n in $steps; do
    ck="$d.s$n.ck"
    t0=$(date +%s)
    $cli train "$d" --out "$ck" --steps "$n" > "$ck.log" 2>&1
    t1=$(date +%s)
    $cli eval-truth "$ck" "$d" --json > "$ck.eval.json" 2>/dev/null
    python3 - "$ck" "$run" "$n" "$((t1 - t0))" "$here" <<'PY'
import json, re, sys
ck, run, n, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, sys.argv[5])
from split_targets import meets_split_targets
e = json.load(open(ck + '.eval.json'))
log = open(ck + '.log').read()
fvu = re.search(r'^FVU\s+(.*?)\s+L0', log, re.M)
prec = {k: v['precision'] for k, v in e['classes'].items()}
rec = {k: v['recall'] for k, v in e['classes'].items()}
ok = meets_split_targets(e)
print(json.dumps({'run': run, 'steps': n, 'seconds': secs, 'minPrec': min(v for v in prec.values() if v is not None),
  'minRec': min(v for v in rec.values() if v is not None), 'f1': round(e['structure']['f1'], 3),
  'mcc': round(e['mcc']['pearson'], 3), 'fvu': fvu.group(1) if fvu else None, 'ok': ok}), flush=True)
PY
  done
done
