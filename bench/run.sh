#!/usr/bin/env bash
# Importer benchmark: our import beside the tools people would otherwise use, run round-robin on the same inputs.
# Usage: bench/run.sh [SIZE_GIB=4] [ROUNDS=3]. Writes a table to stdout; numbers go into docs/performance.md.
# BENCH_CASES="xz zst" runs only those cases. BENCH_REGIME=cold idles 15 s before every run instead of touching and
# freeing 4 GiB ("hot"): memory left idle goes back to the host, and writing into it again costs several µs per page
# (../shared/spec/benchmarking.md), which page-cache writers pay and a bounded writer mostly does not.
# Durability policy: everyone's output is durable inside the timed region — cdi fsyncs disk.img before renaming it,
# and each peer command ends with `sync FILE` — so no tool wins by leaving dirty pages behind. All outputs are checked
# with cmp against the raw original.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
size_gib="${1:-4}"
rounds="${2:-3}"
work="${BENCH_DIR:-$here/out}"
mkdir -p "$work"
"$root/scripts/ensure-deps.sh"
"$root/cdi" --help >/dev/null

raw="$work/disk.raw"
if [ ! -f "$raw" ] || [ "$(stat -c %s "$raw")" -ne $((size_gib << 30)) ]; then
  echo "generating a ${size_gib} GiB disk: 35% random, 15% text, 50% holes" >&2
  python3 - "$raw" "$size_gib" <<'PY'
import os, sys
path, gib = sys.argv[1], int(sys.argv[2])
size = gib << 30
chunk = 4 << 20
text = (b"cdi benchmark text: the quick brown fox jumps over the lazy dog. " * 70000)[:chunk]
with open(path, "wb") as f:
    f.truncate(size)
    for i in range(size // chunk):
        kind = i % 20
        if kind < 7:
            f.seek(i * chunk); f.write(os.urandom(chunk))
        elif kind < 10:
            f.seek(i * chunk); f.write(text)
PY
  qemu-img convert -f raw -O qcow2 "$raw" "$work/disk.qcow2"
  xz -T2 --block-size=64MiB -1 -kc "$raw" > "$work/disk.raw.xz"
  zstd -q -T2 -3 -c "$raw" > "$work/disk.raw.zst"
  pigz -p 2 -1 -c "$raw" > "$work/disk.raw.gz"
fi

# nginx serves the inputs on loopback, as a real image server would.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
conf="$work/nginx.conf"
cat > "$conf" <<CONF
$( [ "$(id -u)" -eq 0 ] && echo "user root;" )
worker_processes 1; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 64; }
http { access_log off; sendfile on; client_body_temp_path $work/body; proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fcgi; uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  server { listen 127.0.0.1:$port; root $work; } }
CONF
nginx=$(command -v nginx || echo /usr/sbin/nginx)
$nginx -p "$work" -c "$conf" -g 'daemon off;' &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null; rm -rf "$work/vol" "$work/peer.out"' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do :; done

# What users run: the wrapper (it adds a few ms and sets the runtime options an import uses).
cdi_bin="$root/cdi"
vsize="$(( size_gib + 1 ))Gi"
declare -A ours=(
  [qcow2]="$cdi_bin import --progress none --source http://127.0.0.1:$port/disk.qcow2 --target $work/vol --size $vsize --filesystem-overhead 0"
  [qcow2-direct]="$cdi_bin import --progress none --source http://127.0.0.1:$port/disk.qcow2 --target $work/vol --size $vsize --filesystem-overhead 0"
  [xz]="$cdi_bin import --progress none --source http://127.0.0.1:$port/disk.raw.xz --target $work/vol --size $vsize --filesystem-overhead 0"
  [zst]="$cdi_bin import --progress none --source http://127.0.0.1:$port/disk.raw.zst --target $work/vol --size $vsize --filesystem-overhead 0"
  [gz]="$cdi_bin import --progress none --source http://127.0.0.1:$port/disk.raw.gz --target $work/vol --size $vsize --filesystem-overhead 0"
)
declare -A peers=(
  [qcow2]="sh -c 'qemu-img convert -f qcow2 -O raw $work/disk.qcow2 $work/peer.out && sync $work/peer.out'"
  [qcow2-direct]="sh -c 'qemu-img convert -t none -f qcow2 -O raw $work/disk.qcow2 $work/peer.out && sync $work/peer.out'"
  [xz]="sh -c 'xz -T2 -dc $work/disk.raw.xz | cp --sparse=always /dev/stdin $work/peer.out && sync $work/peer.out'"
  [zst]="sh -c 'zstd -q -d -f $work/disk.raw.zst -o $work/peer.out && sync $work/peer.out'"
  [gz]="sh -c 'pigz -dc $work/disk.raw.gz | cp --sparse=always /dev/stdin $work/peer.out && sync $work/peer.out'"
)
declare -A peer_name=([qcow2]="qemu-img convert (local file)" [qcow2-direct]="qemu-img convert -t none (local file, O_DIRECT)" [xz]="xz -T2 -dc" [zst]="zstd -d" [gz]="pigz -dc")

regime="${BENCH_REGIME:-hot}"
hot() {
  if [ "$regime" = cold ]; then sync; sleep 15; return; fi
  dd if=/dev/zero of=/dev/shm/cdi-bench-hot bs=1M count=4096 status=none 2>/dev/null || true; rm -f /dev/shm/cdi-bench-hot
}
echo "regime: $regime, ${size_gib} GiB, $rounds rounds" >&2

# One untimed import first: right after a build, the first runs were 2-4x slower (the build's own dirty files were
# still being written back, and the new image's pages were cold), which skewed whichever case came first.
sync
rm -rf "$work/vol"
"$cdi_bin" import --progress none --source "http://127.0.0.1:$port/disk.qcow2" --target "$work/vol" --size "$vsize" --filesystem-overhead 0 >/dev/null
rm -rf "$work/vol"

# Holes must stay holes: each output's allocation (du) is reported, and cdi's may not exceed the peer's by more than 1 MiB.
alloc_mib() { python3 -c "import os,sys; print(round(os.stat(sys.argv[1]).st_blocks * 512 / 1048576, 1))" "$1"; }
printf '| case | cdi s | peer | peer s | ratio (median) | cdi CPU s | peer CPU s | cdi peak MiB | peer peak MiB | cdi alloc MiB | peer alloc MiB |\n|---|---|---|---|---|---|---|---|---|---|---|\n'
for case in ${BENCH_CASES:-qcow2 qcow2-direct xz zst gz}; do
  ratios=(); cdi_t=(); peer_t=(); cdi_c=(); peer_c=(); cdi_m=0; peer_m=0
  for r in $(seq "$rounds"); do
    rm -rf "$work/vol" "$work/peer.out"; hot
    read -r t m c < <(BENCH_QUIET=1 eval "$here/measure.py ${ours[$case]}")
    cmp -n $((size_gib << 30)) "$work/vol/disk.img" "$raw" >/dev/null || { echo "cdi output differs for $case" >&2; exit 1; }
    cdi_t+=("$t"); cdi_c+=("$c"); cdi_m=$(python3 -c "print(max($cdi_m,$m))"); cdi_a=$(alloc_mib "$work/vol/disk.img")
    rm -rf "$work/vol"; hot
    read -r pt pm pc < <(BENCH_QUIET=1 eval "$here/measure.py ${peers[$case]}")
    cmp -n $((size_gib << 30)) "$work/peer.out" "$raw" >/dev/null || { echo "peer output differs for $case" >&2; exit 1; }
    peer_t+=("$pt"); peer_c+=("$pc"); peer_m=$(python3 -c "print(max($peer_m,$pm))"); peer_a=$(alloc_mib "$work/peer.out")
    python3 -c "import sys; sys.exit(0 if $cdi_a <= $peer_a + 1 else 1)" \
      || { echo "cdi allocated $cdi_a MiB for $case where the peer needed $peer_a MiB: holes were written" >&2; exit 1; }
    ratios+=("$(python3 -c "print($t/$pt)")")
  done
  med() { python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
  printf '| %s | %.2f | %s | %.2f | %.2f× | %.2f | %.2f | %s | %s | %s | %s |\n' "$case" "$(med "${cdi_t[@]}")" "${peer_name[$case]}" "$(med "${peer_t[@]}")" \
    "$(med "${ratios[@]}")" "$(med "${cdi_c[@]}")" "$(med "${peer_c[@]}")" "$cdi_m" "$peer_m" "$cdi_a" "$peer_a"
done
