#!/usr/bin/env bash
# Runs every test suite of the product. Installs what is missing when it can (as root: Debian's postgresql),
# restores, builds, tests, and exits non-zero on any failure. CI calls exactly this (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

have_postgres() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "${INTERWEAVE_TEST_POSTGRES:-}" ]; }

if ! have_postgres; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's postgresql package for the store tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "warning: no PostgreSQL server found; PostgreSQL store tests will skip (and fail under CI=true)." >&2
  fi
fi

configuration="${CONFIGURATION:-Release}"
dotnet restore Interweave.Plugin.sln
dotnet build Interweave.Plugin.sln --no-restore -c "$configuration" -v quiet -nologo

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test --solution Interweave.Plugin.sln --no-build -c "$configuration" 2>&1 | tee "$log" || status=$?

# One plain closing line for any reader: "N passed, N failed, N skipped".
count() { grep -E "^\s+$1: [0-9]+" "$log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
echo "Tests: $(count succeeded) passed, $(count failed) failed, $(count skipped) skipped"
exit "$status"
