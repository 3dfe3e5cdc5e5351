#!/usr/bin/env bash
# The companion's resident memory at rest (started, its first health answer given), as the bundle `npm start`
# runs and from source through tsx. Five starts each; prints the median VmRSS (Linux /proc).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f companion/dist/main.mjs ] || node scripts/build-companion.mjs >/dev/null

rss_at_rest() {
  local data pid health port
  data=$(mktemp -d)
  port=$((20000 + RANDOM % 20000))
  "$@" --data-dir "$data" --port "$port" >/dev/null 2>&1 &
  pid=$!
  health="fetch('http://127.0.0.1:$port/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
  until node -e "$health"; do
    kill -0 "$pid" 2>/dev/null || { echo "the companion did not start (port $port taken?)" >&2; exit 1; }
    sleep 0.2
  done
  sleep 1
  awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}

median_mb() {
  local runs=() rss
  for _ in 1 2 3 4 5; do
    rss=$(rss_at_rest "$@") || exit 1
    runs+=("$rss")
  done
  printf '%s\n' "${runs[@]}" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.0f MB (runs: %d..%d kB)", v[3] / 1024, v[1], v[NR] }'
}

# The bundle with npm start's Node flags (COMPANION_NODE_FLAGS), as scripts/start.sh runs it.
flags=$(node --input-type=module -e "import { COMPANION_NODE_FLAGS } from './scripts/build-companion.mjs'; \
console.log(COMPANION_NODE_FLAGS.join(' '))")
# shellcheck disable=SC2086
echo "bundle (npm start: node $flags companion/dist/main.mjs): $(median_mb node $flags companion/dist/main.mjs)"
echo "source (node --import tsx companion/src): $(median_mb node --import tsx companion/src/main.ts)"
echo "Node $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
