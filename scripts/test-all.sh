#!/usr/bin/env bash
# Every test: system packages, npm packages, lint and format, both builds, type check, unit tests, the companion
# suites on both stores, Firefox lint, browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh
bash scripts/ensure-node-deps.sh
npm run lint
npm run build
npm run typecheck
npm run lint:firefox
npx vitest run
# The companion suites again with every companion on PostgreSQL (one throw-away cluster per file). Not again:
# store-files (the SQLite file's own modes) and team-postgres (always on PostgreSQL, already run above).
REAUTH_TEST_STORE=postgres npx vitest run tests/companion \
  --exclude tests/companion/store-files.test.ts --exclude tests/companion/team-postgres.test.ts
npx playwright test
npm run test:firefox
