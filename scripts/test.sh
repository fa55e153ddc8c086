#!/usr/bin/env bash
# Builds the solution (fetching the pinned llama.cpp runtime and source from npm on first use) and runs every test
# project. Prints one closing line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf "${TMPDIR:-/tmp}/agenthost-tests"  # scratch files of earlier runs
dotnet build AgentHost.sln -c Release -warnaserror 2>&1 | tail -n 3
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1

results=$(mktemp -d)
status=0
for proj in tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  dotnet test "$proj" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 | grep -E "Passed!|Failed!|error|\[FAIL\]|Failed |Skipped " 
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
p=0; f=0; k=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  p=$((p + $(get passed))); f=$((f + $(get failed) + $(get error))); k=$((k + $(get notExecuted)))
done
echo "$p passed, $f failed, $k skipped"
exit $status
