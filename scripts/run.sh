#!/usr/bin/env bash
# Sets up what is missing (system packages, the web app, models) and runs coagent.
#   scripts/run.sh                      serve on COAGENT_ADDR (default 127.0.0.1:8080), printing an invite link
#   scripts/run.sh transcribe my.wav    any other coagent command (see `scripts/run.sh --help`)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
if [[ ! -d mobile-pwa/node_modules ]]; then
    (cd mobile-pwa && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd mobile-pwa && npm run --silent build)
cargo build --quiet --bin coagent
coagent="${CARGO_TARGET_DIR:-target}/debug/coagent"
"$coagent" models fetch

if (($# == 0)); then
    echo "Open this single-use link on your phone or browser to join as a manager:" >&2
    "$coagent" invite --role manager --name "First manager"
    exec "$coagent" serve
fi
exec "$coagent" "$@"
