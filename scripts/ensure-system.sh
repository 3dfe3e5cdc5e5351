#!/usr/bin/env bash
# Installs the Debian packages the tests and the product need, or says exactly how to.
set -euo pipefail
# postgresql: the companion suites also run against a throw-away PostgreSQL cluster (tests/support/postgres.ts).
NEEDED=(chromium firefox-esr dovecot-imapd dovecot-lmtpd openssl postgresql)
missing=()
for pkg in "${NEEDED[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
