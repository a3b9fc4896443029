#!/usr/bin/env bash
# Measures whether the library suite and the hunt catch one planted bug (docs/planted-bugs.md).
#
#   scripts/planted-bug.sh NAME [PATCH] [HUNT_SCENARIO...]
#
# Applies PATCH (a `git diff` of simulator/src/main; none for a baseline) to the worktree,
# compiles the replication and net packages over the built replisim.jar (build it first with
# `mvn -B -o -q package -DskipTests -Dazurite.skipInstall=true -pl scenarios -am`), restores the
# sources at once, then runs every scenarios/library/*.yaml with `replisim run --quiet` (its
# expectations, and the invariants on ground truth) and `replisim hunt --runs 30 --threads 2` on
# each HUNT_SCENARIO (a library name without .yaml), all on the patched classes and without unit
# tests. Results go to $PB_OUT/NAME (default /tmp/pb/NAME); the last lines printed are the verdict.
#
# PB_SHAPES_RUNS=N (and PB_SHAPES_SEED=S, default 1) adds `replisim hunt --shapes --runs N --seed S
# --threads 2 --keep-going` on the patched classes, and prints the violations' kinds with their
# counts: compare them with the same hunt on the unpatched stack (a baseline: no PATCH), since a
# violation both show is not the planted bug's. PB_LIBRARY=0 skips the library suite.
#
# Why not rebuild the jar per bug: on two shared cores the shaded build takes minutes; compiling
# the two patched packages (everything that could inline a changed constant: verification code
# may not use them, ArchitectureTest) and putting them ahead of the jar runs the same code. The
# commands run in one JVM (scripts/PlantedBugRunner.java calls io.replisim.cli.Main.execute,
# what `replisim` calls), since a JVM's start and warm-up per scenario cost more than most runs.
set -uo pipefail
shopt -s nullglob   # PB_LIBRARY=0: no run-*.rc
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="$1"; shift
patch=""
if [ $# -gt 0 ] && [ -f "$1" ]; then patch="$(realpath "$1")"; shift; fi
hunts=("$@")
out="${PB_OUT:-/tmp/pb}/$name"
jar="$root/scenarios/target/replisim.jar"
pkgs="$root/simulator/src/main/java/io/replisim/simulator"
rm -rf "$out"; mkdir -p "$out/classes"
[ -f "$jar" ] || { echo "no $jar: build it first" >&2; exit 3; }

# two measurements side by side must not plant in the same sources at once
exec 9>"${TMPDIR:-/tmp}/planted-bug.$(id -u).lock"
flock 9
if [ -n "$(git -C "$root" status --porcelain -- simulator/src/main)" ]; then
  echo "simulator/src/main has changes: refusing to plant on top of them" >&2; exit 3
fi
if [ -n "$patch" ]; then
  git -C "$root" apply "$patch" || exit 3
fi
javac -nowarn -encoding UTF-8 -cp "$jar" -d "$out/classes" "$pkgs"/replication/*.java "$pkgs"/net/*.java \
  >"$out/javac.log" 2>&1
compiled=$?
git -C "$root" checkout -- simulator/src/main   # the planted bug never stays in the sources
[ $compiled -eq 0 ] || { cat "$out/javac.log" >&2; exit 3; }
flock -u 9

# one JVM runs the commands, two side by side (PlantedBugRunner: no start and warm-up per run)
mkdir -p "$out/runner"
javac -nowarn -cp "$jar" -d "$out/runner" "$root/scripts/PlantedBugRunner.java" || exit 3
runner() { nice -n 10 java -Xmx2g -XX:+UseParallelGC -cp "$out/runner:$out/classes:$jar" PlantedBugRunner "$@"; }

for f in "$root"/scenarios/library/*.yaml; do
  s="$(basename "$f" .yaml)"
  printf 'run-%s\trun %s --out %s --quiet\n' "$s" "$f" "$out/run/$s"
done >"$out/library.tsv"
[ "${PB_LIBRARY:-1}" = 0 ] || runner "$out/library.tsv" "$out" 2

lib_exp=(); lib_inv=()
for rc in "$out"/run-*.rc; do
  s="$(basename "$rc" .rc)"; s="${s#run-}"
  code="$(cat "$rc")"
  if [ "$code" != 0 ]; then
    failures="$(grep -o 'failures="[0-9]*"' "$out/run/$s/junit.xml" 2>/dev/null | head -1 | tr -dc 0-9)"
    invs="$(grep -o 'INVARIANT VIOLATED: [a-z-]*' "$out/run-$s.err" | sed 's/INVARIANT VIOLATED: //' | sort -u | paste -sd, -)"
    [ "${failures:-0}" -gt 0 ] && lib_exp+=("$s($failures)")
    [ -n "$invs" ] && lib_inv+=("$s[$invs]")
    [ "${failures:-0}" -eq 0 ] && [ -z "$invs" ] && lib_exp+=("$s(exit $code)")
  fi
done

for h in "${hunts[@]}"; do
  printf 'hunt-%s\thunt %s --runs 30 --threads 2 --out %s\n' "$h" "$root/scenarios/library/$h.yaml" "$out/hunt/$h"
done >"$out/hunts.tsv"
[ ${#hunts[@]} -gt 0 ] && runner "$out/hunts.tsv" "$out" 1

hunt_hits=()
for h in "${hunts[@]}"; do
  code="$(cat "$out/hunt-$h.rc")"
  if [ "$code" != 0 ]; then
    inv="$(cat "$out/hunt-$h.out" "$out/hunt-$h.err" | grep -m1 -o '^run [0-9]*/30 .*violated' | sed 's/ violated//; s/(.*)://')"
    hunt_hits+=("$h[${inv:-exit $code}]")
  fi
done

shapes="not run"
if [ -n "${PB_SHAPES_RUNS:-}" ]; then
  printf 'shapes\thunt --shapes --runs %s --seed %s --threads 2 --keep-going --out %s\n' \
    "$PB_SHAPES_RUNS" "${PB_SHAPES_SEED:-1}" "$out/shapes" >"$out/shapes.tsv"
  runner "$out/shapes.tsv" "$out" 1
  # "run 10/100 (seed ..., ...): KIND violated at ..." once per failing run (--keep-going)
  kinds="$(grep -o '^run [0-9]*/[0-9]* ([^)]*): [a-z-]* violated' "$out/shapes.out" \
    | sed 's/.*: //; s/ violated//' | sort | uniq -c | awk '{printf "%s%s x%s", (NR>1?", ":""), $2, $1}')"
  shapes="exit $(cat "$out/shapes.rc"): ${kinds:-no violation} ($(tail -1 "$out/shapes.out"))"
fi

echo "bug $name"
if [ "${PB_LIBRARY:-1}" = 0 ]; then
  echo "  library: not run"
else
  echo "  library expectations failed: ${lib_exp[*]:-none}"
  echo "  library invariants violated: ${lib_inv[*]:-none}"
fi
echo "  hunt (30 runs each on ${hunts[*]:-nothing}): ${hunt_hits[*]:-none}"
echo "  hunt --shapes (${PB_SHAPES_RUNS:-0} runs, seed ${PB_SHAPES_SEED:-1}): $shapes"
