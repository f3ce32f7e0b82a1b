#!/usr/bin/env bash
# Installs the Debian packages cdi's demo and tests use, only those missing. Quiet when all are present.
set -euo pipefail
declare -A need=(
  [qemu-img]=qemu-utils [qemu-nbd]=qemu-utils [nbdkit]=nbdkit [nginx]=nginx-light [pigz]=pigz [xz]=xz-utils
  [zstd]=zstd [bzip2]=bzip2 [skopeo]=skopeo [umoci]=umoci [docker-registry]=docker-registry [prlimit]=util-linux
  [tar]=tar [python3]=python3 [htpasswd]=apache2-utils [node]=nodejs [npm]=npm [openssl]=openssl
)
missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("${need[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "installing: ${pkgs[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2 || true
$sudo apt-get install -y -qq "${pkgs[@]}" >&2
