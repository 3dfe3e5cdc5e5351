#!/usr/bin/env bash
# Every test: system packages, npm packages, lint and format, both builds, type check, unit tests, Firefox lint,
# browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh
bash scripts/ensure-node-deps.sh
npm run lint
npm run build
npm run typecheck
npm run lint:firefox
npx vitest run
npx playwright test
npm run test:firefox
