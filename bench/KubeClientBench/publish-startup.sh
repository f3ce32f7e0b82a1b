#!/usr/bin/env bash
# Publishes the three start-up probes twice: Release (framework-dependent, JIT) and native AOT (PublishAot=true).
# Usage: publish-startup.sh [jit/Ours aot/Official ...] (default: all six).
# Output: bench/out/kube-client/{jit,aot}/{Ours,Official,OfficialAot}/bin, each publish's log (the trim/AOT
# warnings, one per call site: TrimmerSingleWarn=false) beside it as publish.log. Warnings are not errors here:
# counting them is the point.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(dirname "$here")/out/kube-client"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(jit/Ours jit/Official jit/OfficialAot aot/Ours aot/Official aot/OfficialAot)
for target in "${targets[@]}"; do
  mode="${target%/*}" v="${target#*/}"
  dest="$out/$mode/$v"
  rm -rf "$dest" && mkdir -p "$dest"
  extra=()
  [ "$mode" = aot ] && extra=(-p:PublishAot=true -p:TrimmerSingleWarn=false --use-current-runtime)
  echo "publishing $v ($mode)" >&2
  if ! dotnet publish "$here/Startup/$v/Startup$v.csproj" -c Release --nologo -v minimal -p:TreatWarningsAsErrors=false \
      "${extra[@]}" -o "$dest/bin" > "$dest/publish.log" 2>&1; then
    echo "publish failed: $dest/publish.log" >&2
    tail -20 "$dest/publish.log" >&2
  fi
done
