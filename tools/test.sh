#!/usr/bin/env bash
# Runs every test suite of the product. Installs what is missing when it can (as root: Debian's postgresql and chromium),
# restores, builds, tests, and exits non-zero on any failure. CI calls exactly this (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# install_missing PACKAGE WHAT: as root with apt, installs Debian's PACKAGE; otherwise warns that WHAT will skip.
install_missing() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's $1 package for $2..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    echo "warning: no $1 found; $2 will skip (and fail under CI=true)." >&2
  fi
}

ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "${INTERWEAVE_TEST_POSTGRES:-}" ] || install_missing postgresql "the PostgreSQL store tests"
[ -x /usr/bin/chromium ] || [ -n "${INTERWEAVE_CHROMIUM:-}" ] || install_missing chromium "the console's browser tests"

configuration="${CONFIGURATION:-Release}"
dotnet restore Interweave.Plugin.sln
dotnet build Interweave.Plugin.sln --no-restore -c "$configuration" -v quiet -nologo

# The house style as far as a tool holds it (.editorconfig); a whitespace difference fails the run.
if ! dotnet format whitespace Interweave.Plugin.sln --verify-no-changes -v quiet; then
  echo "error: formatting differs from .editorconfig; run: dotnet format whitespace Interweave.Plugin.sln" >&2
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0

# .NET suites: unit, API (in-memory host), store (SQLite and PostgreSQL), simulators over real HTTP.
dotnet test --solution Interweave.Plugin.sln --no-build -c "$configuration" 2>&1 | tee -a "$log" || status=$?

# The official Sage Intacct SDK for JavaScript against our Intacct simulator.
if command -v node >/dev/null && command -v npm >/dev/null; then
  (cd tests/intacct-sdk && npm ci --no-audit --no-fund --loglevel=error)
  export INTERWEAVE_SIMULATORS_DLL="$PWD/tools/Interweave.Simulators/bin/$configuration/net10.0/Interweave.Simulators.dll"
  export INTERWEAVE_SANDBOX_DLL="$PWD/tools/Interweave.Sandbox/bin/$configuration/net10.0/Interweave.Sandbox.dll"
  (cd tests/intacct-sdk && node --test --test-reporter=tap) 2>&1 | tee -a "$log" || status=$?
  # The Creatio package's Freedom UI page handlers inside Creatio's own @creatio-devkit/common from npm.
  (cd tests/creatio-pages && npm ci --no-audit --no-fund --loglevel=error)
  (cd tests/creatio-pages && node --test --test-reporter=tap) 2>&1 | tee -a "$log" || status=$?
elif [ "${CI:-}" = "true" ]; then
  echo "error: Node.js is required under CI=true for the Intacct SDK and Creatio page suites." >&2
  status=1
else
  echo "warning: Node.js not found; the Intacct SDK and Creatio page suites are skipped." >&2
fi

# One plain closing line for any reader: "N passed, N failed, N skipped" over every suite.
# dotnet test ends with a run summary (its last "succeeded:" line); each node TAP run ends with "# pass N".
last() { grep -E "$1" "$log" | tail -1 | grep -oE '[0-9]+$' || echo 0; }
sum() { grep -E "$1" "$log" | grep -oE '[0-9]+$' | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(( $(last '^\s+succeeded: [0-9]+$') + $(sum '^# pass [0-9]+$') ))
failed=$(( $(last '^\s+failed: [0-9]+$') + $(sum '^# fail [0-9]+$') ))
skipped=$(( $(last '^\s+skipped: [0-9]+$') + $(sum '^# skipped [0-9]+$') ))
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
