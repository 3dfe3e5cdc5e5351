#!/usr/bin/env bash
# Runs the product: installs what is missing, builds the extension for Chrome and Firefox and the
# companion's Node bundle, starts the companion on its embedded default store, and says where to load the
# extension.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
npm run build --silent
root=$(pwd)
cat <<TXT

Reauth Assist is built.
  Chrome / Chromium / Edge: open chrome://extensions, turn on Developer mode, "Load unpacked":
      $root/.output/chrome-mv3
  Firefox: open about:debugging#/runtime/this-firefox, "Load Temporary Add-on...", pick:
      $root/.output/firefox-mv3/manifest.json

Starting the companion (Ctrl+C stops it). On its first start it prints a pairing secret once:
paste it into Reauth Assist > Options > Companion.
TXT
flags=$(node --input-type=module -e "import { COMPANION_NODE_FLAGS } from './scripts/build-companion.mjs'; console.log(COMPANION_NODE_FLAGS.join(' '))")
# shellcheck disable=SC2086 # the flags are separate words
exec node $flags companion/dist/main.mjs "$@"
