#!/usr/bin/env bash
# Builds cdi and runs every test. Last line: "N passed, M failed[, K skipped]". Exit status non-zero on any failure.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! ./scripts/ensure-deps.sh; then
  echo "error: could not install the Debian packages the tests need" >&2
  echo "0 passed, 1 failed"; exit 1
fi
if ! dotnet build Cdi.slnx -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "error: build failed" >&2
  echo "0 passed, 1 failed"; exit 1
fi
# The end-to-end tests run ./cdi; build it now, once, rather than racing inside the test run.
./cdi --help >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

results=.test-results
rm -rf "$results"
dotnet test Cdi.slnx -c Release --no-build --nologo --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" 2>&1 | grep -v -E '^\s*$|^Test run for|^VSTest version|^Starting test execution|^A total of' 
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${e:-0}))
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${s:-0}))
done
# A crashed test host leaves no result file: count it as a failure rather than reporting a clean run.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$files" -eq 0 ]; then failed=$((failed + 1)); fi
if [ "$skipped" -gt 0 ]; then
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
else
  echo "${passed} passed, ${failed} failed"
fi
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
