#!/usr/bin/env python3
"""Runs the Kubernetes client comparison, interleaved, and prints medians with their spread (min-max).

Usage: run.py KUBECONFIG [--rounds 5] [--count 1000] [--lists 10] [--skip-scale] [--skip-startup] [--callgrind]

Scale: KubeClientBench (build it first: dotnet build -c Release) once per client per round, the order alternating
each round. Start-up: the six published probes (publish-startup.sh first), rotated each round. Each child's CPU time
and peak RSS come from wait4(); the machine is shared, so CPU time is the figure to trust, wall time the context.
--callgrind adds one run of each native AOT start-up probe under valgrind for its instruction count (no PMU in this VM, so
perf's instruction counter is unavailable).
"""
import argparse, os, re, resource, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "out", "kube-client")
BENCH = os.path.join(HERE, "bin", "Release", "net10.0", "KubeClientBench")
PROBES = [(mode, v) for mode in ("jit", "aot") for v in ("Ours", "Official", "OfficialAot")]


def run_measured(cmd, check=True):
    """Runs cmd to its end; returns (stdout, wall s, CPU s). One child at a time, so the growth of RUSAGE_CHILDREN is its CPU.
    With check=False a failing command returns its stderr's last line as stdout, prefixed "FAILED: "."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 and not check:
        return "FAILED: " + (proc.stderr.strip().splitlines() or ["(no output)"])[0], wall, 0.0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.stdout, wall, cpu


def spread(values, fmt="{:.0f}"):
    if not values:
        return "-"
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def scale(args):
    rows = {}
    for r in range(args.rounds):
        order = ["ours", "official"] if r % 2 == 0 else ["official", "ours"]
        for client in order:
            out, wall, cpu = run_measured([BENCH, client, args.kubeconfig, str(args.count), str(args.lists)])
            for line in out.splitlines():
                f = dict(kv.split("=", 1) for kv in line.split())
                for key in ("wall_ms", "cpu_ms", "alloc_kib"):
                    rows.setdefault((f["phase"], key, client), []).append(float(f[key]))
            rows.setdefault(("process", "cpu_ms", client), []).append(cpu * 1000)
            rows.setdefault(("process", "wall_ms", client), []).append(wall * 1000)
            print(f"round {r + 1} {client}: process cpu {cpu * 1000:.0f} ms, wall {wall * 1000:.0f} ms", file=sys.stderr)
    print(f"\nScale: {args.count} ConfigMaps, informer on each side, {args.lists} full lists; {args.rounds} rounds, median (min-max)\n")
    print("| phase | figure | ours (Cdi.Kube) | official (KubernetesClient) |")
    print("| --- | --- | --- | --- |")
    for (phase, key) in sorted({(p, k) for (p, k, _) in rows}):
        print(f"| {phase} | {key} | {spread(rows.get((phase, key, 'ours'), []))} | {spread(rows.get((phase, key, 'official'), []))} |")


def size_mib(path):
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files if not f.endswith((".pdb", ".dbg")))
    return total / (1 << 20)


def exe(mode, v):
    return os.path.join(OUT, mode, v, "bin", f"Startup{v}")


def startup(args):
    walls, cpus, failed = {}, {}, {}
    for r in range(args.rounds):
        shift = r % len(PROBES)
        for mode, v in PROBES[shift:] + PROBES[:shift]:
            if not os.path.exists(exe(mode, v)):
                continue
            out, wall, cpu = run_measured([exe(mode, v), args.kubeconfig], check=False)
            if not out.startswith("ok"):
                failed[(mode, v)] = out.strip()[:160]
                continue
            walls.setdefault((mode, v), []).append(wall * 1000)
            cpus.setdefault((mode, v), []).append(cpu * 1000)
    irs = {}
    if args.callgrind:
        # Native AOT builds only: a JIT build under valgrind spends minutes per run on this shared machine.
        for mode, v in PROBES:
            if mode != "aot" or not os.path.exists(exe(mode, v)) or (mode, v) in failed:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                # Alone, without the .dbg beside it: valgrind's debuginfo reader gives up on ILC's .dbg files.
                shutil.copy(exe(mode, v), tmp)
                env = dict(os.environ, DOTNET_EnableWriteXorExecute="0")
                p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out",
                                    os.path.join(tmp, os.path.basename(exe(mode, v))), args.kubeconfig],
                                   capture_output=True, text=True, env=env)
                m = re.search(r"Collected : (\d+)", p.stderr)
                irs[(mode, v)] = int(m.group(1)) if m and p.returncode == 0 else None
    print(f"\nStart-up to the first successful GET: {args.rounds} rounds, median (min-max)\n")
    print("| build | client | wall ms | CPU ms | instructions (callgrind) | publish size MiB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for mode, v in PROBES:
        if (mode, v) not in walls:
            why = failed.get((mode, v), "not published")
            print(f"| {mode} | {v} | {why} | | | {size_mib(os.path.join(OUT, mode, v, 'bin')):.1f} |")
            continue
        ir = irs.get((mode, v))
        irs_text = f"{ir / 1e6:.0f} M" if ir else ("failed" if args.callgrind and mode == "aot" else "-")
        print(f"| {mode} | {v} | {spread(walls[(mode, v)])} | {spread(cpus[(mode, v)])} | {irs_text} | {size_mib(os.path.join(OUT, mode, v, 'bin')):.1f} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kubeconfig")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--lists", type=int, default=10)
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--skip-startup", action="store_true")
    ap.add_argument("--callgrind", action="store_true")
    args = ap.parse_args()
    if not args.skip_scale:
        scale(args)
    if not args.skip_startup:
        startup(args)


if __name__ == "__main__":
    main()
