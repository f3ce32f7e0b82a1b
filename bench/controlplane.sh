#!/usr/bin/env bash
# Control-plane benchmark: N blank DataVolumes at once on a fresh local cluster (see bench/ControlPlaneBench/README.md).
# Usage: bench/controlplane.sh N [--controller external|in-cluster] [--timeout-minutes M]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet build "$here/ControlPlaneBench/ControlPlaneBench.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet "$here/ControlPlaneBench/bin/Release/net10.0/ControlPlaneBench.dll" "$@"
