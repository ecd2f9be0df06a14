#!/usr/bin/env bash
# Checks the package as a user gets it: packs it with `npm pack`, installs the tarball into a scratch consumer
# project with vitest, and runs the README's "failover fuzzer in a test suite" example there, as written.
# Usage: scripts/consumer-check.sh   (needs the npm registry for vitest; run by .ci/run)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/shadowvm-consumer.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
echo "consumer-check: packed $tarball ($(du -k "$work/$tarball" | cut -f1) KiB)"

cd "$work"
cat > package.json <<'JSON'
{ "name": "shadowvm-consumer", "version": "0.0.0", "private": true, "type": "module" }
JSON
vitest_version="$(node -p "require('$root/node_modules/vitest/package.json').version")"
npm install --silent --no-audit --no-fund "./$tarball" "vitest@$vitest_version" >/dev/null

# The README's example, exactly as written: the first ts block after its heading.
node -e '
  const text = require("fs").readFileSync(process.argv[1], "utf8");
  const at = text.indexOf("## The failover fuzzer in a test suite");
  const block = text.slice(at).match(/```ts\n([\s\S]*?)```/);
  if (at < 0 || !block) { console.error("consumer-check: README example not found"); process.exit(1); }
  require("fs").writeFileSync("readme.test.ts", block[1]);
' "$root/README.md"
npx vitest run readme.test.ts
echo "consumer-check: the README example passed in a consumer project"
