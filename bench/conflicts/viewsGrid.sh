#!/bin/bash
# `detect` at its defaults against two older settings, on the same runs and checkpoints:
# development families (mixing, recurrent; seeds 101, 102; lag 10 and 20; 48 episodes, half with
# a planted drift) and the held-out foreign generator (bench/sae/foreign_generator.py, seeds 1–3,
# lag 10 and 20, truth attached). Each run: `train` with no flags, then
#   default       detect --sae <ckpt>                            (λ 0.3, latents both agents read alike)
#   shared        detect --sae <ckpt> --views dictionary-shared  (only the split's shared latents)
#   shared-0.15   ... --views dictionary-shared --lambda 0.15     (the fifth session's defaults, but
#                 with the current horizon rule)
# and prints one line per run and setting: horizon, dictionary detected/conflicts, false alarms per
# 1000, AUROC (onset ≤ t < divergence), mean detection over 0–1 FA/1000; then the same for CCA.
#   bash bench/conflicts/viewsGrid.sh OUTDIR            (≈ 25 min on 2 cores; runs and checkpoints are kept and reused)
set -euo pipefail
out=$1
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
cli="npx tsx $here/../../cli/main.ts"
runs=()
for fam in mixing recurrent; do for seed in 101 102; do for lag in 10 20; do
  d="$out/$fam-$seed-$lag"; runs+=("$d")
  [ -d "$d.ck" ] && continue
  rm -rf "$d" "$d".*
  $cli record synthetic --family $fam --seed $seed --lag $lag --conflicts 0.5 --episodes 48 --out "$d" > /dev/null
  $cli train "$d" --out "$d.ck" > "$d.train.log" 2>&1
done; done; done
for lag in 10 20; do for s in 1 2 3; do
  d="$out/foreign-$s-$lag"; runs+=("$d")
  [ -d "$d.ck" ] && continue
  rm -rf "$d" "$d".*
  python3 "$here/../sae/foreign_generator.py" --out "$d" --seed $s --conflicts 0.5 --lag $lag > /dev/null
  $cli truth attach "$d" --structure "$d.structure.json" --latents "$d.latents.arrows" --conflicts "$d.conflicts.json" > /dev/null
  $cli train "$d" --out "$d.ck" > "$d.train.log" 2>&1
done; done
for d in "${runs[@]}"; do
  for setting in default shared shared-0.15; do
    case $setting in
      default) flags=() ;;
      shared) flags=(--views dictionary-shared) ;;
      shared-0.15) flags=(--views dictionary-shared --lambda 0.15) ;;
    esac
    $cli detect "$d" --sae "$d.ck" "${flags[@]}" --out "$d.rep-$setting" > "$d.detect-$setting.log" 2>&1
    python3 - "$d.rep-$setting/report.json" "$(basename "$d")" "$setting" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); e = r['evaluation']
c = {b.get('views'): b.get('evaluation') for b in r.get('baselines') or []}['cca-raw']
f = lambda x: f"{x['flaggedBefore']}/{x['conflicts']} {x['falseAlarmsPer1000']:.2f} {x['auroc']:.3f} {x['curveArea']:.2f}"
print(sys.argv[2], sys.argv[3], 'H', r['detector']['horizon'], '| dictionary', f(e), '| cca', f(c), flush=True)
PY
  done
done
