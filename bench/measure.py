#!/usr/bin/env python3
"""Runs one command, prints 'seconds peak_rss_mib cpu_seconds' (wall time, peak RSS of the process tree's largest
child, user + system CPU of the whole tree)."""
import os, resource, subprocess, sys, time

start = time.monotonic()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL if os.environ.get("BENCH_QUIET") else None)
elapsed = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak_kib = usage.ru_maxrss
if proc.returncode != 0:
    print(f"command failed ({proc.returncode}): {' '.join(sys.argv[1:])}", file=sys.stderr)
    sys.exit(proc.returncode)
print(f"{elapsed:.3f} {peak_kib / 1024:.1f} {usage.ru_utime + usage.ru_stime:.3f}")
