#!/usr/bin/env bash
# Benchmarks: speed and size are measured here, never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh
bash scripts/ensure-node-deps.sh
export REAUTH_OUT=.output-bench
npx wxt build >/dev/null
echo "== Detection (content script in Debian Chromium) =="
npx tsx scripts/bench-detection.ts
echo
echo "== Popup opening (Debian Chromium, built extension) =="
npx tsx scripts/bench-popup.ts
echo
echo "== Companion verification (real Dovecot + SMTP) =="
npx tsx scripts/bench-companion.ts
echo
echo "== The companion server watching many mailboxes (real Dovecot + SMTP + IdP) =="
npx tsx scripts/bench-companion-server.ts
echo
echo "== Companion memory at rest =="
bash scripts/bench-companion-memory.sh
