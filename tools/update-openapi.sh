#!/usr/bin/env bash
# Regenerates openapi/interweave-sidecar.v1.json from the code (the committed contract of the sidecar's API).
set -euo pipefail
cd "$(dirname "$0")/.."
INTERWEAVE_UPDATE_OPENAPI=1 dotnet test --project tests/Interweave.Sidecar.Tests -- --filter-class "Interweave.Sidecar.Tests.OpenApiDocumentTests"
echo "Wrote openapi/interweave-sidecar.v1.json"
