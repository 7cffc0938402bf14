#!/usr/bin/env bash
# Starts the built server on a fresh database for the end-to-end tests, keeping its log
# so that the setup test can read the one-time setup link.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="tests/.tmp/e2e-${PORT}"
rm -rf "$dir"
mkdir -p "$dir"
export STATUS_CLOCK_OFFSET_FILE="$dir/clock-offset" DATABASE_PATH="$dir/status.db" HOST=localhost SITE_URL="http://localhost:${PORT}" STATUS_TIME_ZONE=America/Toronto
exec node --max-old-space-size=128 --max-semi-space-size=4 scripts/serve.ts > >(tee "$dir/server.log") 2>&1
