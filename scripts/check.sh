#!/usr/bin/env bash
# The checks `npm test` runs first: types of the tests, the layer rules, lint and formatting. They are
# independent, so they run side by side; each one's output is shown only if it fails.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

names=(types layers lint format)
cmds=(
  "npx tsc -p tsconfig.test.json"
  "npx depcruise src isa --config .dependency-cruiser.cjs"
  "npx eslint src isa test scripts bench"
  "npx prettier --check --log-level warn src isa test scripts bench"
)
pids=()
for i in "${!cmds[@]}"; do
  ${cmds[$i]} >"$out/$i" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!cmds[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "check ${names[$i]} failed: ${cmds[$i]}"
    cat "$out/$i"
    failed=1
  fi
done
[ "$failed" -eq 0 ] && echo "checks passed: ${names[*]}"
exit "$failed"
