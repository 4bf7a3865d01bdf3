#!/bin/bash
# A held-out check at the defaults, as an outside reviewer runs it: each run is recorded once
# (recordRun.sh), then `train` with no flags, `eval-truth --json` on held-out episodes and, where
# the run has planted conflicts, `detect <run> --sae <ckpt>` with no flags.
#   bash bench/sae/heldout.bench.sh OUTDIR RUN...
#   TRAIN_FLAGS='--config {"holdoutEvery":2}' bash bench/sae/heldout.bench.sh OUTDIR RUN...   (a non-default training)
# A RUN is as in recordRun.sh (`synthetic:<family>:<seed>`, `foreign:<seed>[:flags]`,
# `massive:<seed>[:flags]`). Prints one JSON line per run: split counts, class precision / recall,
# F1, MCC, whether every split target is met, and the detector's and raw-state CCA's
# detected / conflicts, false alarms per 1000, AUROC.
set -euo pipefail
out=$1; shift
mkdir -p "$out"
# shellcheck source=recordRun.sh
source "$(dirname "$0")/recordRun.sh"
for run in "$@"; do
  record_run "$out" "$run"
  d=$RUN_DIR
  # shellcheck disable=SC2086
  [ -d "$d.ck" ] || $cli train "$d" --out "$d.ck" ${TRAIN_FLAGS:-} > "$d.train.log" 2>&1
  $cli eval-truth "$d.ck" "$d" --json > "$d.eval.json" 2>/dev/null
  rep=none
  if [ -f "$d/truth/conflicts.json" ]; then
    rm -rf "$d.detect"
    $cli detect "$d" --sae "$d.ck" --out "$d.detect" > "$d.detect.log" 2>&1
    rep="$d.detect/report.json"
  fi
  python3 - "$d" "$run" "$rep" "$here" <<'PY'
import json, sys
d, run, rep, here = sys.argv[1:5]
sys.path.insert(0, here)
from split_targets import meets_split_targets
e = json.load(open(d + '.eval.json'))
prec = {k: v['precision'] for k, v in e['classes'].items()}
rec = {k: v['recall'] for k, v in e['classes'].items()}
f1, mcc = e['structure']['f1'], e['mcc']['pearson']
ok = meets_split_targets(e)
out = {'run': run, 'counts': {k: [v['labelled'], v['truth']] for k, v in e['countsVsTruth'].items()},
       'precision': prec, 'recall': rec, 'f1': round(f1, 3), 'mcc': round(mcc, 3), 'meetsSplitTargets': ok}
if rep != 'none':
    r = json.load(open(rep))
    f = lambda x: x and {'detected': f"{x['flaggedBefore']}/{x['conflicts']}", 'falseAlarmsPer1000': round(x['falseAlarmsPer1000'], 2), 'auroc': round(x['auroc'], 3)}
    out['detect'] = f(r['evaluation'])
    out['cca'] = f({b.get('views'): b.get('evaluation') for b in r.get('baselines') or []}.get('cca-raw'))
print(json.dumps(out), flush=True)
PY
done
