#!/usr/bin/env python3
"""Merges Google Benchmark JSON files into one results file, and draws charts and tables from it.

  bench/plot.py merge RAW_DIR RESULTS_JSON   RAW_DIR holds <Program>.json files and machine.json
  bench/plot.py draw RESULTS_JSON OUT_DIR    writes OUT_DIR/*.png (gnuplot) and OUT_DIR/summary.md

bench/run calls both; `draw` alone redraws from a committed results file.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# Swap-latency series: (benchmark name, arguments after N or None, label).
HOTJIT_O2 = ("BM_SwapHotjit", "opt:2/writer:0")
HOTJIT_O0 = ("BM_SwapHotjit", "opt:0/writer:0")
SWAP_SERIES = [
    (*HOTJIT_O2, "hotjit (O2)"),
    ("BM_SwapOrcRedirect", "opt:2", "ORC redirect (O2)"),
    ("BM_SwapOrcNoStubs", None, "ORC, no stubs (O2)"),
    ("BM_SwapMCJITRelinkAll", None, "MCJIT relink-all (O2)"),
    (*HOTJIT_O0, "hotjit (O0)"),
    ("BM_SwapOrcRedirect", "opt:0", "ORC redirect (O0)"),
    ("BM_SwapHotjit", "opt:2/writer:1", "hotjit (O2), own writer thread"),
    ("BM_SwapHotjitCached", None, "hotjit, cached object"),
    ("BM_SwapOrcRedirectCached", None, "ORC redirect, precompiled object"),
    ("BM_SwapHotjitNoCache", "opt:2/writer:0", "hotjit (O2), no object cache"),
    ("BM_SwapHotjitNoCache", "opt:0/writer:0", "hotjit (O0), no object cache"),
]
# Drawn in the chart (the rest only in the tables); one colour per scheme, O0 dashed.
CHART_SERIES = SWAP_SERIES[:6]
CHART_COLOURS = ["#7b2cbf", "#009e73", "#56b4e9", "#e69f00", "#7b2cbf", "#009e73"]
NS = [10, 100, 1000, 10000]

JIT_CALLS = [("direct", "direct call"), ("hotjit_stub", "hotjit stub"),
             ("orc_stub", "ORC RSM stub"), ("fn_pointer", "load + indirect call")]
HOST_CALLS = [("host_direct", "host direct (baseline)"), ("fn_pointer", "function pointer"),
              ("hotjit_stub", "hotjit stub (guard held)"),
              ("hotjit_handle", "hotjit Function<> (pins)"), ("orc_stub", "ORC RSM stub")]


def merge(raw_dir, out_path):
    results = {"machine": {}, "programs": {}}
    for name in sorted(os.listdir(raw_dir)):
        path = os.path.join(raw_dir, name)
        if not name.endswith(".json"):
            continue
        with open(path) as f:
            data = json.load(f)
        if name == "machine.json":
            results["machine"] = data
        else:
            results["programs"][name[:-5]] = data
    with open(out_path, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
        f.write("\n")


def benchmarks(results, program):
    """The runs of `program`, one per benchmark: the median where repetitions
    were aggregated (named like the run itself), else the run."""
    raw = results["programs"].get(program, {}).get("benchmarks", [])
    medians = {b["run_name"]: dict(b, name=b["run_name"]) for b in raw
               if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median"}
    runs = [b for b in raw if b.get("run_type", "iteration") == "iteration"
            and b.get("run_name", b["name"]) not in medians]
    return list(medians.values()) + runs


def find(results, program, name):
    """The run named `name`, or whose name starts with `name/`."""
    for b in benchmarks(results, program):
        if b["name"] == name or b["name"].startswith(name + "/"):
            return b
    return None


def swap_point(results, prefix, args, n):
    name = f"{prefix}/N:{n}" + (f"/{args}" if args else "")
    for b in benchmarks(results, "PeerBench"):
        if b["name"].startswith(name + "/") and not b.get("error_occurred"):
            return b
    return None


def gnuplot(script, out_png):
    subprocess.run(["gnuplot"], input=script.encode(), check=True)
    print("wrote", out_png)


def term(path, w=900, h=560):
    return (f"set terminal pngcairo size {w},{h} font 'DejaVu Sans,11' noenhanced\n"
            f"set output '{path}'\n")


def draw_swap(results, out_dir, tmp):
    data = os.path.join(tmp, "swap.dat")
    blocks = []
    with open(data, "w") as f:
        for i, (prefix, opt, label) in enumerate(CHART_SERIES):
            rows = []
            # Each series a little to the side, so that error bars do not hide each other.
            shift = 1 + 0.035 * (i - (len(CHART_SERIES) - 1) / 2)
            for n in NS:
                b = swap_point(results, prefix, opt, n)
                if b:
                    rows.append(f"{n * shift:.6g} {b['p50_us'] / 1e3:.6g} {b['p99_us'] / 1e3:.6g}")
            if rows:
                f.write(f"# {label}\n" + "\n".join(rows) + "\n\n\n")
                blocks.append(label)
    plots = []
    for i, label in enumerate(blocks):
        dash = "dt 2" if "O0" in label else "dt 1"
        colour = CHART_COLOURS[[l for _, _, l in CHART_SERIES].index(label)]
        plots.append(f"'{data}' index {i} using 1:2:2:3 with yerrorlines lw 2 pt 7 ps 1 {dash} "
                     f"lc rgb '{colour}' title '{label}'")
    out = os.path.join(out_dir, "swap-latency.png")
    gnuplot(term(out) + f"""
set title "Swap latency of one tiny function with N live modules that call it\\n(p50, bar up to p99; lower is better)"
set logscale xy
set xlabel 'N live caller modules'
set ylabel 'latency (ms)'
set xrange [7:14000]
set grid xtics ytics mytics
set key top left box opaque
set format y '%g'
plot {", ".join(plots)}
""", out)


def draw_calls(results, out_dir, tmp):
    data = os.path.join(tmp, "calls.dat")
    rows = []
    for key, label in JIT_CALLS:
        b = find(results, "CallBench", f"BM_CallJitToJit/{key}")
        if b:
            rows.append((f"JIT→JIT\\n{label}", b["ns_per_call"], 1))
    for key, label in HOST_CALLS:
        b = find(results, "CallBench", f"BM_CallHostToJit/{key}")
        if b:
            rows.append((f"host→JIT\\n{label}", b["ns_per_call"], 2))
    if not rows:
        return
    with open(data, "w") as f:
        for label, ns, group in rows:
            f.write(f'"{label}" {ns:.4g} {group}\n')
    out = os.path.join(out_dir, "call-overhead.png")
    gnuplot(term(out, 1100, 560) + f"""
set title 'Cost of one call (median of 5 runs; lower is better)'
set style fill solid 0.8 border -1
set boxwidth 0.7
set ylabel 'ns per call'
set yrange [0:*]
set grid ytics
set xtics rotate by -30 font ',9'
set bmargin 8
unset key
plot '{data}' using 0:2:3:xtic(1) with boxes lc variable, \\
     '' using 0:2:(sprintf('%.2f', $2)) with labels offset 0,0.7
""", out)


def draw_compile(results, out_dir, tmp):
    data = os.path.join(tmp, "compile.dat")
    rows = []
    for name, label in [("BM_Commit1000Modules/threads:0", "one commit,\\ncalling thread"),
                        ("BM_Commit1000Modules/threads:1", "one commit,\\npool of 1 thread"),
                        ("BM_Commit1000Modules/threads:2", "one commit,\\npool of 2 threads"),
                        ("BM_Commit1000SingleCommits", "1000 one-module\\ncommits"),
                        ("BM_Commit1000ModulesCached", "one commit,\\nall from disk cache")]:
        for b in benchmarks(results, "CompileBench"):
            if b["name"].startswith(name + "/") or b["name"] == name:
                rows.append((label, b["modules_per_s"]))
                break
    if not rows:
        return
    with open(data, "w") as f:
        for label, rate in rows:
            f.write(f'"{label}" {rate:.6g}\n')
    out = os.path.join(out_dir, "compile-scaling.png")
    gnuplot(term(out, 900, 560) + f"""
set bmargin 4
set title 'Compile throughput: 1000 small modules at O2 (modules/s, log scale; higher is better)'
set style fill solid 0.8 border -1
set boxwidth 0.6
set ylabel 'modules per second'
set logscale y
set yrange [10:30000]
set grid ytics
set xtics font ',10'
unset key
plot '{data}' using 0:2:xtic(1) with boxes lc rgb '#56b4e9', \\
     '' using 0:2:(sprintf('%.0f', $2)) with labels offset 0,0.7
""", out)


THROW_SERIES = [("BM_ThrowHostOnly", 1, "host throw, hotjit unwind index"),
                ("BM_ThrowHostOnly", 0, "host throw, libgcc registry"),
                ("BM_ThrowThroughJit", 1, "throw through 2 JIT frames, index"),
                ("BM_ThrowThroughJit", 0, "throw through 2 JIT frames, libgcc"),
                ("BM_ReclaimOneModule", 1, "free an early module, index"),
                ("BM_ReclaimOneModule", 0, "free an early module, libgcc")]


def throw_point(results, name, index, n):
    for b in benchmarks(results, "ThrowBench"):
        full = f"{name}/index:{index}/N:{n}"
        if (b["name"] == full or b["name"].startswith(full + "/")) and not b.get("error_occurred"):
            return b["real_time"] * {"ns": 1e-3, "us": 1, "ms": 1e3}[b.get("time_unit", "ns")]
    return None


def draw_live_modules(results, out_dir, tmp):
    data = os.path.join(tmp, "live.dat")
    with open(data, "w") as f:
        for name, index, _ in THROW_SERIES:
            for n in NS:
                us = throw_point(results, name, index, n)
                if us is not None:
                    f.write(f"{n} {us:.6g}\n")
            f.write("\n\n")
    if not benchmarks(results, "ThrowBench"):
        return
    plots = []
    for i, (name, index, label) in enumerate(THROW_SERIES):
        dash = "dt 1" if index else "dt 2"
        plots.append(f"'{data}' index {i} using 1:2 with linespoints lw 2 pt 7 lc {i // 2 + 1} "
                     f"{dash} title '{label}'")
    out = os.path.join(out_dir, "live-modules.png")
    gnuplot(term(out, 900, 560) + f"""
set title "Costs against the number of live JIT modules, each with an .eh_frame\\n(ThrowBench; lower is better)"
set logscale xy
set xrange [7:14000]
set xlabel 'N live modules'
set ylabel 'µs'
set format y '%g'
set grid xtics ytics mytics
set key top left box opaque font ',9'
plot {", ".join(plots)}
""", out)


# ----------------------------------------------------------------------------------------------
# Tables (markdown)


def fmt_us(us):
    if us is None:
        return "–"
    if us >= 1000:
        return f"{us / 1000:.3g} ms"
    return f"{us:.3g} µs"


def swap_rows(results, series):
    lines = ["| N | " + " | ".join(label for _, _, label in series) + " |",
             "|---:|" + "---:|" * len(series)]
    for n in NS:
        cells = []
        for prefix, args, _ in series:
            b = swap_point(results, prefix, args, n)
            cells.append(f"{fmt_us(b['p50_us'])} / {fmt_us(b['p99_us'])}" if b else "–")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    flat = []
    for prefix, args, _ in series:
        lo, hi = swap_point(results, prefix, args, NS[0]), swap_point(results, prefix, args, NS[-1])
        flat.append(f"×{hi['p50_us'] / lo['p50_us']:.2f}" if lo and hi else "–")
    lines.append(f"| p50 N={NS[-1]} / N={NS[0]} | " + " | ".join(flat) + " |")
    return lines


def swap_tables(results):
    lines = ["### Swap latency, p50 / p99", ""] + swap_rows(results, CHART_SERIES)
    lines += ["", "### Peer p50 / hotjit p50 at the same opt level (> 1: hotjit is faster)", "",
              "| N | ORC redirect (O2) | ORC, no stubs (O2) | MCJIT relink-all (O2) | "
              "ORC redirect (O0) vs hotjit (O0) |", "|---:|---:|---:|---:|---:|"]
    for n in NS:
        h2 = swap_point(results, *HOTJIT_O2, n)
        h0 = swap_point(results, *HOTJIT_O0, n)
        cells = []
        for prefix, opt, base in [("BM_SwapOrcRedirect", "opt:2", h2),
                                  ("BM_SwapOrcNoStubs", None, h2),
                                  ("BM_SwapMCJITRelinkAll", None, h2),
                                  ("BM_SwapOrcRedirect", "opt:0", h0)]:
            b = swap_point(results, prefix, opt, n)
            cells.append(f"×{b['p50_us'] / base['p50_us']:.2f}" if b and base else "–")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    lines += ["", "### Swap variants, p50 / p99", "",
              "*own writer thread*: hotjit's commits from a dedicated thread rather than the one "
              "that loaded the N callers. *cached* / *precompiled*: the cost of a swap beyond code "
              "generation (hotjit: the object cache holds both alternating versions; ORC: link a "
              "precompiled object and redirect()). *no object cache*: EngineOptions::ObjectCache "
              "= false (no cache key is computed; measured at N=10 only).", ""]
    lines += swap_rows(results, SWAP_SERIES[6:])
    lines += ["", "### Where a swap's time goes (median of each phase, µs)", "",
              "*link*: for hotjit everything in CommitReport::Link but the IR pipeline and "
              "code generation (cache key, JITLink, ORC bookkeeping); for ORC addObjectFile + "
              "lookup. *publish*: hotjit's Prepare + Publish; ORC's redirect().", "",
              "| scheme | N | parse | optimize | codegen | link | publish | swap p50 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for (prefix, args, label) in [(*HOTJIT_O2, "hotjit (O2)"),
                                  ("BM_SwapOrcRedirect", "opt:2", "ORC redirect (O2)"),
                                  (*HOTJIT_O0, "hotjit (O0)"),
                                  ("BM_SwapOrcRedirect", "opt:0", "ORC redirect (O0)"),
                                  ("BM_SwapHotjitNoCache", "opt:2/writer:0",
                                   "hotjit (O2), no object cache"),
                                  ("BM_SwapHotjitNoCache", "opt:0/writer:0",
                                   "hotjit (O0), no object cache"),
                                  ("BM_SwapHotjitCached", None, "hotjit, cached"),
                                  ("BM_SwapOrcRedirectCached", None, "ORC, precompiled")]:
        for n in (NS[0], NS[-1]):
            b = swap_point(results, prefix, args, n)
            if not b:
                continue
            cells = [f"{b[k + '_us']:.1f}" if k + "_us" in b else "–"
                     for k in ("parse", "optimize", "codegen", "link", "publish")]
            lines.append(f"| {label} | {n} | " + " | ".join(cells) + f" | {b['p50_us']:.0f} |")
    lines += ["", "| relink-all scheme | N | phases (median, µs) | swap p50 |", "|---|---:|---|---:|"]
    for prefix, label, phases in [
            ("BM_SwapOrcNoStubs", "ORC, no stubs", ("compile", "remove", "relink")),
            ("BM_SwapMCJITRelinkAll", "MCJIT relink-all",
             ("parse_optimize", "relink", "free_old_engine"))]:
        for n in NS:
            b = swap_point(results, prefix, None, n)
            if b:
                text = ", ".join(f"{p.replace('_', ' ')} {fmt_us(b[p + '_us'])}" for p in phases)
                lines.append(f"| {label} | {n} | {text} | {fmt_us(b['p50_us'])} |")
    lines += ["", "(MCJIT's *free old engine* runs after the swap and is not in its latency.)"]
    return lines


def call_table(results):
    direct = find(results, "CallBench", "BM_CallJitToJit/direct")
    host = find(results, "CallBench", "BM_CallHostToJit/host_direct")
    lines = ["### Call overhead (ns per call, median of 5 runs)", "",
             "| from | callee reached through | ns/call | × baseline |", "|---|---|---:|---:|"]
    for prefix, rows, base in [("BM_CallJitToJit", JIT_CALLS, direct),
                               ("BM_CallHostToJit", HOST_CALLS, host)]:
        for key, label in rows:
            b = find(results, "CallBench", f"{prefix}/{key}")
            if b:
                ratio = f"×{b['ns_per_call'] / base['ns_per_call']:.2f}" if base else "–"
                side = "JIT" if prefix == "BM_CallJitToJit" else "host"
                lines.append(f"| {side} | {label} | {b['ns_per_call']:.3f} | {ratio} |")
    return lines


def reclaim_table(results):
    lines = ["### Ready → every caller switched → old code freed (µs, p50 / p99)", "",
             "All from the start of the commit. *ready*: commit() returned; *switched*: the last "
             "caller's first call that returned the new version; *freed*: VersionsFreed moved. "
             "The slot store and the reclaimer run before commit() returns, so *switched* and "
             "*freed* can precede *ready*.", "",
             "| callers | caller loop | ReclaimDelay | ready | switched | freed | freed − ready |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for b in benchmarks(results, "ReclaimBench"):
        m = re.match(r"BM_ReadyToFreed/callers:(\d+)/reclaim_delay_us:(\d+)/busy:(\d)", b["name"])
        if not m or b.get("error_occurred"):
            continue
        c, d, busy = m.groups()
        cells = [f"{b[k + '_p50_us']:.0f} / {b[k + '_p99_us']:.0f}"
                 for k in ("ready", "switched", "freed", "freed_after_ready")]
        lines.append(f"| {c} | {'spinning' if busy == '1' else 'call, sleep 20 µs'} | {int(d)} µs | "
                     + " | ".join(cells) + " |")
    return lines


def other_table(results):
    lines = ["### Other figures", "", "| figure | value |", "|---|---:|"]

    def add(label, value):
        lines.append(f"| {label} | {value} |")

    for name, label in [("BM_EpochGuardPinUnpin/threads:1", "EpochGuard pin + unpin, 1 thread"),
                        ("BM_EpochGuardPinUnpin/threads:2", "EpochGuard pin + unpin, 2 threads"),
                        ("BM_EpochGuardNestedPinUnpin", "nested pin + unpin"),
                        ("BM_QsbrQuiescent/threads:1", "QSBR quiescent()"),
                        ("BM_SharedMutexReadLock/threads:1", "std::shared_mutex read lock (baseline)"),
                        ("BM_SeqCstFenceGuard/threads:1", "seq_cst-fence guard (baseline)")]:
        b = find(results, "EpochBench", name)
        if b:
            add(label, f"{b['cpu_time']:.2f} ns")
    rates = {}
    for b in benchmarks(results, "CompileBench"):
        for key in ["BM_Commit1000Modules/threads:0", "BM_Commit1000Modules/threads:1",
                    "BM_Commit1000Modules/threads:2", "BM_Commit1000ModulesCached",
                    "BM_Commit1000SingleCommits"]:
            if b["name"].startswith(key + "/") and "modules_per_s" in b:
                rates[key] = b["modules_per_s"]
    for key, label in [("BM_Commit1000Modules/threads:0", "1000 modules, calling thread"),
                       ("BM_Commit1000Modules/threads:2", "1000 modules, 2 pool threads"),
                       ("BM_Commit1000ModulesCached", "1000 modules from the disk cache"),
                       ("BM_Commit1000SingleCommits", "1000 one-module commits")]:
        if key in rates:
            add(label, f"{rates[key]:.0f} modules/s")
    if "BM_Commit1000Modules/threads:0" in rates and "BM_Commit1000Modules/threads:2" in rates:
        add("compile speed-up, 2 threads vs calling thread",
            f"×{rates['BM_Commit1000Modules/threads:2'] / rates['BM_Commit1000Modules/threads:0']:.2f}")
    for b in benchmarks(results, "CompileBench"):
        m = re.match(r"BM_SwapLatencyByLevel/opt:(\d)", b["name"])
        if m:
            add(f"swap of a small loop function at O{m.group(1)} (mean)", fmt_us(b["real_time"]))
    for name, index, label in THROW_SERIES:
        for n in (NS[0], NS[-1]):
            us = throw_point(results, name, index, n)
            if us is not None:
                add(f"{label}, {n} live modules", fmt_us(us))
    for b in benchmarks(results, "SwapBench"):
        m = re.match(r"BM_CallersThroughputDuringSwaps/callers:(\d+)/reclaim_delay_us:(\d+)",
                     b["name"])
        if m:
            add(f"callers' throughput during 1 swap/ms vs none, {m.group(1)} caller(s), "
                f"ReclaimDelay {m.group(2)} µs", f"{100 * b['ratio']:.1f} %")
    return lines


def summary(results):
    mach = results.get("machine", {})
    lines = ["# Benchmark results", "",
             "Generated by `bench/plot.py draw` from `docs/bench/results.json` (written by "
             "`bench/run`). Do not edit by hand.", "",
             f"Machine: {mach.get('cpu', '?')}, {mach.get('nproc', '?')} CPUs, "
             f"kernel {mach.get('kernel', '?')}; LLVM {mach.get('llvm', '?')}; "
             f"commit {mach.get('commit', '?')}; {mach.get('date', '?')}. "
             f"Load average before / after the run: {mach.get('load_before', '?')} / "
             f"{mach.get('load_after', '?')}.", ""]
    for part in (swap_tables, call_table, reclaim_table, other_table):
        lines += part(results) + [""]
    return "\n".join(lines)


def draw(results_path, out_dir):
    with open(results_path) as f:
        results = json.load(f)
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        draw_swap(results, out_dir, tmp)
        draw_calls(results, out_dir, tmp)
        draw_compile(results, out_dir, tmp)
        draw_live_modules(results, out_dir, tmp)
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write(summary(results))
    print("wrote", os.path.join(out_dir, "summary.md"))


def main(argv):
    if len(argv) == 4 and argv[1] == "merge":
        merge(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "draw":
        draw(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
