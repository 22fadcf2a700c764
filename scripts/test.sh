#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up, models into the cache, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo fmt --all --check
(cd mobile-pwa && npm ci --no-audit --no-fund --loglevel=error && npm run --silent typecheck && npm test && npm run --silent build)
cargo run --quiet -- models fetch
cargo test --workspace --no-fail-fast
