#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up, models into the cache, then every test.
# Screenshots of the browser test land in target/browser-artifacts (COAGENT_ARTIFACTS_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
(cd mobile-pwa && npm ci --no-audit --no-fund --loglevel=error && npm run --silent typecheck && npm test && npm run --silent build)
cargo run --quiet -- models fetch
cargo test --workspace --no-fail-fast
# The real browser (headless Chromium, fake microphone playing the JFK sample) against the real server.
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
node --test tests/browser/
