# Sourced by the split benches: record_run OUTDIR RUN records RUN once into OUTDIR (kept between
# calls) and sets RUN_DIR to its folder.
# A RUN is `synthetic:<family>:<seed>` (record synthetic, 48 episodes) or
# `foreign:<seed>[:<generator flags, comma-separated>]` (bench/sae/foreign_generator.py, truth and, with
# --conflicts, its planted conflicts attached; before the eighteenth session the conflicts were not)
# or `massive:<seed>[:<flags>]` (bench/sae/foreign_massive_generator.py, truth and planted conflicts attached)
# or `zipf:<seed>[:<flags>]` (bench/sae/zipf_generator.py, truth and planted conflicts attached)
# or `outsider:<seed>[:<flags>]` (bench/sae/outsider_generator.py, which writes its truth into truth/ itself).
# Also sets `here` (this folder) and `cli` (the thoughtlens command from this checkout).
here=$(dirname "${BASH_SOURCE[0]}")
cli="npx tsx $here/../../cli/main.ts"
record_run() {
  local out=$1 run=$2 kind a b name
  IFS=: read -r kind a b <<< "$run"
  name=$(echo "$run" | tr ':,=+ ' '_____')
  RUN_DIR="$out/$name"
  if [ ! -f "$RUN_DIR/run.json" ]; then
    rm -rf "$RUN_DIR"
    if [ "$kind" = synthetic ]; then
      $cli record synthetic --family "$a" --seed "$b" --episodes 48 --out "$RUN_DIR" > /dev/null 2>&1
    elif [ "$kind" = outsider ]; then
      # shellcheck disable=SC2086
      python3 "$here/outsider_generator.py" --out "$RUN_DIR" --seed "$a" $(echo "${b:-}" | tr ',' ' ') > /dev/null
    else
      local gen=foreign_generator.py conf=()
      [ "$kind" = massive ] && gen=foreign_massive_generator.py
      [ "$kind" = zipf ] && gen=zipf_generator.py
      # shellcheck disable=SC2086
      python3 "$here/$gen" --out "$RUN_DIR" --seed "$a" $(echo "${b:-}" | tr ',' ' ') > /dev/null
      [ -f "$RUN_DIR.conflicts.json" ] && conf=(--conflicts "$RUN_DIR.conflicts.json")
      $cli truth attach "$RUN_DIR" --structure "$RUN_DIR.structure.json" --latents "$RUN_DIR.latents.arrows" "${conf[@]}" > /dev/null
    fi
  fi
}
