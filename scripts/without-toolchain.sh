#!/usr/bin/env bash
# Runs the test files that use the RISC-V toolchain with the toolchain hidden from PATH, and checks that
# they pass (their toolchain parts skipped) and print the skip message for each skipped part.
# Every PATH directory holding riscv64-unknown-elf-* is replaced by a scratch directory of links to its
# other entries (node often lives in the same /usr/bin). Usage: scripts/without-toolchain.sh (run by .ci/run)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/shadowvm-notools.XXXXXX")"
trap 'rm -rf "$work"' EXIT

path=""
i=0
IFS=: read -r -a dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] || continue
  if compgen -G "$d/riscv64-unknown-elf-*" >/dev/null; then
    i=$((i + 1))
    shadow="$work/path$i"
    mkdir "$shadow"
    find "$d/" -mindepth 1 -maxdepth 1 ! -name 'riscv64-unknown-elf-*' -exec ln -s -t "$shadow" {} +
    d="$shadow"
  fi
  path="${path:+$path:}$d"
done
if PATH="$path" command -v riscv64-unknown-elf-gcc >/dev/null 2>&1; then
  echo "without-toolchain: could not hide riscv64-unknown-elf-gcc from PATH" >&2
  exit 1
fi

cd "$root"
mapfile -t files < <(grep -rl "from '../toolchain.js'" test --include='*.test.ts' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "without-toolchain: no test file uses test/toolchain.ts" >&2
  exit 1
fi
echo "without-toolchain: ${files[*]}"
log="$work/vitest.log"
set +e
PATH="$path" npx vitest run "${files[@]}" >"$log" 2>&1
status=$?
set -e
cat "$log"
if [ "$status" -ne 0 ]; then
  echo "without-toolchain: vitest failed (exit $status) with the toolchain hidden" >&2
  exit 1
fi
calls="$(cat "${files[@]}" | grep -c "describeWithToolchain(")"
skipped="$(grep -o 'SKIPPED "[^"]*": the Debian RISC-V toolchain (riscv64-unknown-elf-\*) is not installed' "$log" | sort -u | wc -l)"
if [ "$skipped" -ne "$calls" ]; then
  echo "without-toolchain: $calls toolchain suites but $skipped distinct skip messages" >&2
  exit 1
fi
echo "without-toolchain: ${#files[@]} files passed, $skipped toolchain suites skipped with their message"
