#!/usr/bin/env python3
"""Writes docs/benchmarks.md and its plots from one ehm_bench JSON file.

Every number in the document comes from that file, so ratios compare maps
measured in the same run. A benchmark's time is CPU time per operation: its
median over repetitions when there were several, divided by its `ops` counter.
The targets of issue #4 are evaluated here and marked met or not met.

Standard library only; plots need gnuplot (skipped with a warning without it).

    report.py --json RESULTS --out docs/benchmarks.md --img docs/img
              --command 'ehm_bench ...' --invocation 'scripts/bench --quick'
              [--readme README.md]

With --readme it also writes the README's summary of the run (the trade-off
against boost and absl) between its `<!-- benchmark-summary -->` markers.
The summary is made from the tables of the Markdown file just written, so it
can be made again from a committed docs/benchmarks.md alone:

    report.py --summary-from docs/benchmarks.md --readme README.md [--check]

--check changes nothing and fails if the README's summary differs.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

MAP_ORDER = ["ehm-c", "ehm-cpp", "boost", "absl", "tsl", "std", "glib"]
MAP_NAMES = {
    "ehm-c": "ehm through its C ABI (`ehm_put`/`ehm_get`)",
    "ehm-cpp": "ehm through its C++ wrapper (`ehm.hpp`)",
    "boost": "`boost::unordered_flat_map`",
    "absl": "`absl::flat_hash_map`",
    "tsl": "`tsl::robin_map`",
    "std": "`std::unordered_map`",
    "glib": "GLib `GHashTable`",
}
SERIES_NAMES = {"ehm-c": "ehm-c, default delta (1/32)", "ehm-c.d128": "ehm-c, delta = 1/128",
                "boost": "boost", "absl": "absl", "tsl": "tsl (max_load_factor 0.95)",
                "std": "std"}
WORKLOADS = [
    ("u64.v8", "u64 → u64 (8-byte keys and values; ehm in fixed-size mode)"),
    ("k16.v8", "16-byte keys, 8-byte values"),
    ("k16.v64", "16-byte keys, 64-byte values"),
    ("str.v8", "string keys of 8–64 bytes, 8-byte values"),
    ("str.v64", "string keys of 8–64 bytes, 64-byte values"),
]
OPS = [
    ("insert", "insert, growing from empty"),
    ("insert_reserved", "insert after reserve(n)"),
    ("find_hit", "lookup, present key"),
    ("find_miss", "lookup, absent key"),
    ("find_mixed", "lookup, 50% present (random)"),
    ("find_hit_many", "lookup, present key, 64 per `ehm_get_many` call ¹"),
    ("find_miss_many", "lookup, absent key, 64 per `ehm_get_many` call ¹"),
    ("iterate", "iterate, per entry"),
    ("churn", "erase + insert pair (churn)"),
    ("erase", "erase every key"),
]
NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
TARGET_SIZES = [1000000, 10000000]
SWEEP = "sweep.u64.v8"  # the workload name of the load-factor sweep


class Result:
    """One benchmark: its fields (w, op, map, n or slots and load), ns/op, counters."""

    def __init__(self, fields, ns_per_op, counters, error):
        self.fields = fields
        self.ns = ns_per_op
        self.counters = counters
        self.error = error


def parse_fields(run_name):
    return dict(part.split("=", 1) for part in run_name.split("/") if "=" in part)


def load_results(path):
    """Results keyed by (w, op, map, n-or-slots, load); medians win over single runs."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    results = {}
    for bench in data["benchmarks"]:
        aggregate = bench.get("run_type") == "aggregate"
        if aggregate and bench.get("aggregate_name") != "median":
            continue
        fields = parse_fields(bench.get("run_name", bench["name"]))
        key = (fields.get("w"), fields.get("op"), fields.get("map"),
               fields.get("n") or fields.get("slots"), fields.get("load"))
        if key in results and not aggregate:
            continue  # a repetition: the median aggregate replaces it
        error = bench.get("error_message") if bench.get("error_occurred") else None
        ns = None
        if error is None and bench.get("ops"):
            ns = bench["cpu_time"] * NS_PER_UNIT[bench["time_unit"]] / bench["ops"]
        counters = {k: v for k, v in bench.items() if isinstance(v, (int, float))}
        results[key] = Result(fields, ns, counters, error)
    return data["context"], results


# ---- formatting ----------------------------------------------------------------

def fmt_ns(value):
    if value is None:
        return "—"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def fmt_ratio(value):
    return "—" if value is None else f"{value:.2f}"


def fmt_count(n):
    n = int(n)
    for unit, size in (("M", 1000000), ("k", 1000)):
        if n >= size and n % size == 0:
            return f"{n // size}{unit}"
    return f"{n:,}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def cell(result):
    if result is None:
        return "n/a"
    if result.error:
        return "error"
    return fmt_ns(result.ns)


# ---- machine -------------------------------------------------------------------

def run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def lscpu_fields():
    fields = {}
    for line in run(["lscpu"]).splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields


def package_versions():
    names = ["libboost1.81-dev", "libabsl-dev", "robin-map-dev", "libglib2.0-dev",
             "libbenchmark-dev", "libxxhash-dev", "g++"]
    out = run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n"] + names)
    return [line for line in out.splitlines() if line.strip()]


def cpu_line(cpu):
    text = f"{cpu.get('Model name', '?')}, {cpu.get('CPU(s)', '?')} logical CPUs"
    if "Hypervisor vendor" in cpu:
        text += f", {cpu['Hypervisor vendor']} virtual machine"
    return text


def repetitions_text(context):
    repetitions = int(context.get("suite_repetitions", 1))
    if repetitions == 1:
        return "each benchmark run once"
    return (f"each benchmark run {repetitions} times and the median reported (tables of 5M"
            " entries or more: once)")


def machine_section(context, command, invocation):
    cpu = lscpu_fields()
    caches = ", ".join(f"{name} {cpu[key]}" for name, key in
                       (("L1d", "L1d cache"), ("L2", "L2 cache"), ("L3", "L3 cache"))
                       if key in cpu)
    load = ", ".join(f"{x:.2f}" for x in context.get("load_avg", []))
    lines = [
        f"- **Date:** {context.get('date', '?')}",
        f"- **CPU:** {cpu_line(cpu)}",
        f"- **Caches:** {caches or '?'}",
        f"- **Load average when the run started:** {load or '?'}",
        f"- **Compiler:** {context.get('compiler', '?')}, Meson release build (-O3, no -march),"
        f" assertions {context.get('assertions', '?')}",
        f"- **ehm:** {context.get('ehm_version', '?')}, as the shared library `libehm.so`",
        f"- **Run length:** at least {int(context.get('suite_ops', 0)):,} operations per"
        f" benchmark, in whole passes; {repetitions_text(context)}",
        "- **Packages:** " + "; ".join(f"`{p}`" for p in package_versions()),
        "",
        f"Generated by `{invocation}`, which ran:",
        "",
        "```sh",
        command,
        "```",
    ]
    return "\n".join(lines)


# ---- results per workload ----------------------------------------------------------

def maps_in(results, workload):
    present = {key[2] for key in results if key[0] == workload}
    return [m for m in MAP_ORDER if m in present]


def ehm_variants(maps):
    return [m for m in maps if m.startswith("ehm")]


def ratio_header(maps):
    return [(e, p) for e in ehm_variants(maps) for p in ("boost", "absl") if p in maps]


def counter(result, name):
    if result is None or result.error:
        return None
    return result.counters.get(name)


BATCH_SUFFIX = "_many"  # ehm's batch lookups; peers have none


def peer_op(op):
    """The peers' operation a batch lookup is compared with: their one-key lookup."""
    return op[:-len(BATCH_SUFFIX)] if op.endswith(BATCH_SUFFIX) else op


def op_rows(results, workload, n, maps):
    rows = []
    for op, label in OPS:
        got = {m: results.get((workload, op, m, n, None)) for m in maps}
        if all(r is None for r in got.values()):
            continue
        ns = {m: ns_of(r) for m, r in got.items()}
        for p in ("boost", "absl"):
            ns[p] = ns_of(results.get((workload, peer_op(op), p, n, None)))
        row = [label] + [cell(got[m]) for m in maps]
        row += [fmt_ratio(ratio(ns[e], ns[p])) for e, p in ratio_header(maps)]
        rows.append(row)
    return rows


def counter_row(label, results, workload, op, n, maps, name, digits, with_ratios):
    values = {m: counter(results.get((workload, op, m, n, None)), name) for m in maps}
    row = [label] + ["—" if values[m] is None else f"{values[m]:.{digits}f}" for m in maps]
    pairs = ratio_header(maps)
    row += [fmt_ratio(ratio(values[e], values[p])) if with_ratios else "" for e, p in pairs]
    return row


def probe_row(results, workload, n, maps):
    row = ["ehm probes: lookup hit / miss / 50%, insertion"]
    for m in maps:
        if not m.startswith("ehm"):
            row.append("")
            continue
        parts = [counter(results.get((workload, op, m, n, None)), "probes_per_op")
                 for op in ("find_hit", "find_miss", "find_mixed")]
        parts.append(counter(results.get((workload, "insert", m, n, None)),
                             "insert_probes_per_op"))
        row.append(" / ".join("—" if v is None else f"{v:.2f}" for v in parts))
    return row + ["" for _ in ratio_header(maps)]


def size_table(results, workload, n, maps):
    header = ["ns per operation"] + maps + [f"{e} / {p}" for e, p in ratio_header(maps)]
    rows = op_rows(results, workload, n, maps)
    rows.append(counter_row("bytes per entry (allocator)", results, workload, "find_hit", n,
                            maps, "bytes_per_entry", 1, True))
    rows.append(counter_row("bytes per entry (malloc)", results, workload, "find_hit", n,
                            maps, "malloc_bytes_per_entry", 1, True))
    rows.append(counter_row("load factor (entries / slots)", results, workload, "find_hit", n,
                            maps, "load", 3, False))
    if ehm_variants(maps):
        rows.append(probe_row(results, workload, n, maps))
    return table(header, rows)


def sizes_in(results, workload):
    return sorted({int(key[3]) for key in results if key[0] == workload and key[4] is None})


def all_sizes(results):
    return sorted({int(key[3]) for key in results if key[0] != SWEEP})


def results_section(results):
    out = []
    for workload, title in WORKLOADS:
        maps = maps_in(results, workload)
        if not maps:
            continue
        out.append(f"### {title}\n")
        skipped = sorted(set(all_sizes(results)) - set(sizes_in(results, workload)))
        if skipped:
            out.append("Not run at " + " or ".join(f"{n:,}" for n in skipped)
                       + " entries in this run (`--skip_large`).\n")
        for n in sizes_in(results, workload):
            out.append(f"**{n:,} entries**\n")
            out.append(size_table(results, workload, str(n), maps) + "\n")
    return "\n".join(out)


def errors_section(results):
    errors = [(key, r.error) for key, r in sorted(results.items(), key=lambda kv: str(kv[0]))
              if r.error]
    if not errors:
        return ""
    lines = ["## Errors\n", "These benchmarks failed their own checks and report no time:\n"]
    lines += [f"- `{'/'.join(k for k in key if k)}`: {message}" for key, message in errors]
    return "\n".join(lines) + "\n"


# ---- load-factor sweep -------------------------------------------------------------

SERIES_ORDER = ["ehm-c", "ehm-c.d128", "ehm-cpp", "boost", "absl", "tsl", "std"]


def sweep_slots(results):
    return sorted({int(key[3]) for key in results if key[0] == SWEEP})


def sweep_series(results, slots):
    present = {key[2] for key in results if key[0] == SWEEP and key[3] == str(slots)}
    return [s for s in SERIES_ORDER if s in present] + sorted(present - set(SERIES_ORDER))


def sweep_loads(results, slots):
    return sorted({key[4] for key in results if key[0] == SWEEP and key[3] == str(slots)},
                  key=float)


def sweep_get(results, op, series, slots, load):
    return results.get((SWEEP, op, series, str(slots), load))


def sweep_table(results, slots, series, value_of):
    rows = []
    for load in sweep_loads(results, slots):
        rows.append([load] + [value_of(series_id, load) for series_id in series])
    return table(["load"] + series, rows)


def sweep_legend(results, slots, series):
    actual = []
    for s in series:
        r = sweep_get(results, "find_hit", s, slots, sweep_loads(results, slots)[0])
        if counter(r, "slots"):
            actual.append(f"{s} {int(counter(r, 'slots')):,}")
    return ("Series: " + "; ".join(f"**{s}** {SERIES_NAMES.get(s, s)}" for s in series)
            + ". Actual slots: " + "; ".join(actual)
            + ". n/a: beyond the highest load the map holds without growing.\n")


def sweep_tables(results, slots, series):
    def ns(op):
        return lambda s, load: cell(sweep_get(results, op, s, slots, load))

    def value(op, name, digits):
        def get(s, load):
            v = counter(sweep_get(results, op, s, slots, load), name)
            return "—" if v is None else f"{v:.{digits}f}"
        return get

    def probes(s, load):
        return " / ".join(value(op, "probes_per_op", 2)(s, load)
                          for op in ("find_hit", "find_miss"))

    out = ["Lookup of a present key, ns:\n",
           sweep_table(results, slots, series, ns("find_hit")) + "\n",
           "Lookup of an absent key, ns:\n",
           sweep_table(results, slots, series, ns("find_miss")) + "\n",
           "Bytes per entry (allocator):\n",
           sweep_table(results, slots, series, value("find_hit", "bytes_per_entry", 1)) + "\n"]
    ehm = [s for s in series if s.startswith("ehm")]
    if ehm:
        out += ["ehm probes per lookup, present / absent:\n",
                sweep_table(results, slots, ehm, probes) + "\n"]
    return out


def sweep_section(results, plots):
    out = []
    for slots in sweep_slots(results):
        series = sweep_series(results, slots)
        out.append(f"### Target capacity {slots:,} slots\n")
        out.append(sweep_legend(results, slots, series))
        out += [f"![{name}](img/{name})\n" for name in plots.get(slots, [])]
        out += sweep_tables(results, slots, series)
    return "\n".join(out)


def write_sweep_data(results, slots, path):
    """One gnuplot block per series: load, hit ns, miss ns, bytes per entry."""
    blocks = []
    for s in sweep_series(results, slots):
        lines = [f"# {s}: load hit_ns miss_ns bytes_per_entry"]
        for load in sweep_loads(results, slots):
            hit = sweep_get(results, "find_hit", s, slots, load)
            miss = sweep_get(results, "find_miss", s, slots, load)
            values = (hit and hit.ns, miss and miss.ns, counter(hit, "bytes_per_entry"))
            if all(v is not None for v in values):
                lines.append(f"{load} {values[0]:.3f} {values[1]:.3f} {values[2]:.3f}")
        blocks.append("\n".join(lines))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n\n".join(blocks) + "\n")


GNUPLOT_STYLE = """set terminal svg size 960,420 dynamic noenhanced font 'sans,11' background '#ffffff'
set grid
set key top left Left reverse
set ylabel 'ns per lookup'
set yrange [0:*]
"""


def series_plots(data, series, x_column, y_column):
    return ", ".join(
        f"'{data}' index {i} using {x_column}:{y_column} with linespoints lw 2 pt 7 "
        f"title '{SERIES_NAMES.get(s, s)}'" for i, s in enumerate(series))


def gnuplot_script(data, series, load_svg, bytes_svg, slots):
    return GNUPLOT_STYLE + f"""
set output '{load_svg}'
set multiplot layout 1,2 title 'u64 -> u64 at a fixed capacity of about {slots:,} slots'
set xlabel 'load factor'
set title 'present keys'
plot {series_plots(data, series, 1, 2)}
set title 'absent keys'
plot {series_plots(data, series, 1, 3)}
unset multiplot
set output '{bytes_svg}'
set multiplot layout 1,2 title 'time against memory, same tables (each point is one load factor)'
set xlabel 'bytes per entry (allocator)'
set title 'present keys'
plot {series_plots(data, series, 4, 2)}
set title 'absent keys'
plot {series_plots(data, series, 4, 3)}
unset multiplot
"""


def write_plots(results, img_dir):
    """SVG plots per sweep capacity; returns {slots: [file names]}."""
    for name in os.listdir(img_dir) if os.path.isdir(img_dir) else []:
        if name.startswith("bench-sweep-"):
            os.remove(os.path.join(img_dir, name))  # from an earlier run's capacities
    slots_list = sweep_slots(results)
    if not slots_list:
        return {}
    if shutil.which("gnuplot") is None:
        print("report: gnuplot not found; no plots", file=sys.stderr)
        return {}
    os.makedirs(img_dir, exist_ok=True)
    plots = {}
    for slots in slots_list:
        stem = f"bench-sweep-{slots}"
        data = os.path.join(img_dir, stem + ".dat")
        write_sweep_data(results, slots, data)
        names = [stem + "-load.svg", stem + "-bytes.svg"]
        script = gnuplot_script(data, sweep_series(results, slots),
                                *(os.path.join(img_dir, n) for n in names), slots)
        done = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
        if done.returncode != 0:
            print(f"report: gnuplot failed: {done.stderr}", file=sys.stderr)
            continue
        plots[slots] = names
    return plots


# ---- targets -----------------------------------------------------------------------

class Target:
    """A ratio with its limit; strict: the ratio must be below the limit."""

    def __init__(self, label, value, limit, strict=False):
        self.label, self.value, self.limit, self.strict = label, value, limit, strict

    def status(self):
        if self.value is None:
            return "not measured"
        met = self.value < self.limit if self.strict else self.value <= self.limit
        return "met" if met else "**not met**"

    def row(self):
        sign = "<" if self.strict else "≤"
        return [self.label, fmt_ratio(self.value), f"{sign} {self.limit:g}", self.status()]


def ns_of(result):
    return None if result is None or result.error else result.ns


def group_ratio(results, workload, op, n, ehm, peer):
    return ratio(ns_of(results.get((workload, op, ehm, str(n), None))),
                 ns_of(results.get((workload, op, peer, str(n), None))))


def u64_targets(results, ehm):
    targets = []
    for n in TARGET_SIZES:
        size = fmt_count(n)
        for op, limit, what in (("insert", 1.0, "insert, growing"),
                                ("insert_reserved", 1.0, "insert after reserve"),
                                ("find_hit", 1.0, "lookup, present"),
                                ("find_miss", 1.5, "lookup, absent")):
            value = group_ratio(results, "u64.v8", op, n, ehm, "boost")
            targets.append(Target(f"u64, {size}: {what}, {ehm} / boost", value, limit))
        hit = {m: results.get(("u64.v8", "find_hit", m, str(n), None)) for m in (ehm, "boost")}
        bytes_ratio = ratio(counter(hit[ehm], "bytes_per_entry"),
                            counter(hit["boost"], "bytes_per_entry"))
        targets.append(Target(f"u64, {size}: bytes per entry, {ehm} / boost", bytes_ratio, 1.0,
                              strict=True))
        targets.append(Target(f"u64, {size}: bytes per entry, {ehm} / boost (stretch)",
                              bytes_ratio, 0.8))
    return targets


def sweep_targets(results):
    targets = []
    for slots in sweep_slots(results) or [None]:
        for series, loads in (("ehm-c.d128", ("0.950", "0.990")), ("ehm-c", ("0.950",))):
            for op, what in (("find_hit", "present"), ("find_miss", "absent")):
                base = ns_of(sweep_get(results, op, series, slots, "0.875"))
                for load in loads:
                    value = ratio(ns_of(sweep_get(results, op, series, slots, load)), base)
                    label = (f"sweep, {fmt_count(slots) if slots else '?'} slots, {series}: "
                             f"lookup {what} at {float(load):g} / at 0.875")
                    targets.append(Target(label, value, 1.25))
    return targets


def string_targets(results, ehm):
    targets = []
    for workload in ("str.v8", "str.v64"):
        for n in sizes_in(results, workload) or [None]:
            value = group_ratio(results, workload, "find_hit", n, ehm, "absl") if n else None
            size = fmt_count(n) if n else "?"
            targets.append(Target(f"{workload}, {size}: lookup, present, {ehm} / absl", value,
                                  1.2))
    return targets


def batch_section(results):
    """ehm_get_many beside ehm_get and boost's find, u64 keys: not a target, a comparison."""
    rows = []
    for n in sizes_in(results, "u64.v8"):
        for op, what in (("find_hit", "present"), ("find_miss", "absent")):
            one = ns_of(results.get(("u64.v8", op, "ehm-c", str(n), None)))
            many = ns_of(results.get(("u64.v8", op + BATCH_SUFFIX, "ehm-c", str(n), None)))
            boost = ns_of(results.get(("u64.v8", op, "boost", str(n), None)))
            if many is None:
                continue
            rows.append([fmt_count(n), what, fmt_ns(one), fmt_ns(many),
                         fmt_ratio(ratio(many, one)), fmt_ns(boost),
                         fmt_ratio(ratio(many, boost))])
    if not rows:
        return ""
    return table(["n", "keys", "`ehm_get` ns", "`ehm_get_many` ns", "many / one",
                  "boost `find` ns", "many / boost"], rows) + "\n"


def targets_section(results):
    ehms = ehm_variants(maps_in(results, "u64.v8")) or ["ehm-c"]
    targets = []
    for ehm in ehms:
        targets += u64_targets(results, ehm)
    targets += sweep_targets(results)
    for ehm in ehms:
        targets += string_targets(results, ehm)
    met = sum(t.status() == "met" for t in targets)
    measured = sum(t.value is not None for t in targets)
    summary = f"{met} of {measured} measured targets met ({len(targets) - measured} not measured)."
    return summary + "\n\n" + table(["target", "ratio", "limit", "status"],
                                    [t.row() for t in targets])


# ---- the document --------------------------------------------------------------------

INTRO = """# Benchmarks

ehm against the hash maps C and C++ users would otherwise pick, measured in one binary and
one run on the same keys:

{maps}

The tables, the targets' verdicts and the plots below are generated from that run by
`scripts/bench` (`tests/bench/report.py`); nothing is edited by hand. How the suite keeps
the comparison fair is under [Method](#method).

Reproduce with `bash scripts/bench --quick` (10k and 1M entries, about 5 minutes) or
`bash scripts/bench` (adds 10M entries and a larger sweep, and repeats each benchmark three
times; about 25 minutes on an idle machine of this kind).
"""

METHOD = """## Method

- **One binary, one run.** `tests/bench/` registers the benchmarks group by group (workload,
  then size, then map), so all maps of one table run minutes apart on the same key sets.
  The sources: `keys.cpp` (key sets), `workloads.hpp` (the operations, written once for every
  map), `maps/*.cpp` (one adapter per map).
- **Keys.** u64 keys are random 64-bit words (a bijective mix of the key's index, so they are
  distinct); 16-byte keys are two such words; string keys are 8 to 64 printable bytes,
  uniform in length, with a unique 8-byte prefix. Absent keys are the indices n to 2n−1,
  disjoint by construction. Insertion follows index order; lookups and erasures follow one
  fixed random permutation; the 50% set interleaves half of the present and half of the
  absent keys at random, so whether a lookup hits is unpredictable.
- **Checked results.** Each lookup reads the first word of the value it finds; a pass
  checks the number of keys found and the sum of those words against the expected ones,
  insertions check the final size, iteration the count and sum, erasure that every key was
  removed. A map that gets any of it wrong shows "error", not a time.
- **Time.** CPU time per operation. An iteration is a whole pass over the n keys (for
  insert and erase, a whole table; churn: one erase + insert pair), so the benchmark loop
  costs nothing per operation. Every map runs the same number of iterations: enough whole
  passes for the run's operation budget (`--ops`), repeated `--repetitions` times with the
  median reported (tables of 5M entries or more run once). Lookups are independent of each
  other (throughput, as in Boost's and abseil's benchmarks), and `benchmark::DoNotOptimize`
  keeps their sum. Tables for lookups, iteration and churn are built once per group,
  outside the timed region; insert and erase build or free one table per iteration with the
  timer paused.
- **Churn** erases the oldest live key and inserts a new one, so the table keeps n entries
  while its slots see a stream of removals and insertions (tombstones, for ehm).
- **Hashes.** boost and absl use their default hashes (`boost::hash`, which boost post-mixes,
  and `absl::Hash`); 16-byte keys get the `hash_value` / `AbslHashValue` a user of each would
  write. `std::unordered_map`, `tsl::robin_map` and GLib, whose defaults are the identity on
  integers, all get XXH3 of the key's bytes. ehm uses its own seeded XXH3.
- **Two ways into ehm.** `ehm-c` calls the C ABI of the shared library, as C and FFI
  callers do (`ehm_put`, `ehm_get`, `ehm_remove`, `ehm_next`). `ehm-cpp` is the typed C++
  wrapper `ehm::map<K, V>` over the same library, used as a C++ user would: `try_emplace`
  (which looks the key up before it inserts), `get` (a decoded copy of the value),
  `erase`, `values()`.
- **Configurations** are the defaults a user gets. ehm: random seed, delta 1/32, key and
  value sizes declared where the data has them (u64 and 16-byte keys, every value),
  variable-length keys for strings. boost and absl grow at load 7/8, `tsl::robin_map` at
  0.5, `std::unordered_map` at 1.0. GLib keys and values of 8 bytes are packed into its
  pointers; larger ones are `g_malloc`'d copies the table owns, as ehm owns its copies;
  string keys are NUL-terminated.
- **Memory, allocator.** Bytes requested through a counting allocator: an `ehm_allocator`
  for ehm (checked to equal `ehm_stats.memory_bytes`, else the benchmark reports an error),
  a counting `std` allocator for the C++ peers, plus the heap buffers of `std::string` keys
  too long for the string's inline buffer. It excludes malloc's own per-block overhead.
- **Memory, malloc.** The growth of glibc's bytes in use (`mallinfo2`) while the table was
  built, for every map: it includes malloc's per-block overhead, and is exact to within
  glibc's per-thread cache (a few KiB). It is the only figure for GLib, whose `g_malloc`
  cannot be redirected. Both figures are for the table after n insertions with growth, so
  they depend on where n falls between two growth points (the load factor row says where).
- **Probes.** `ehm_probe_count` over the first 20,000 keys of the query set, outside the
  timed loop: control-word groups read per lookup. Insertion: `insert_probes_total /
  inserts` from `ehm_stats`, over the insertions since the last growth.
- **Load-factor sweep.** u64 → u64 at a fixed capacity: each map is reserved so that its
  slot count is close to the target (its slot counts come in steps, so the actual counts
  differ by up to 25%; they are listed), then filled to load × slots; a map that grows
  before reaching the load reports an error. Each map runs up to the highest load it can
  hold: boost and absl 0.875, `tsl::robin_map` 0.95 (its largest `max_load_factor`),
  `std::unordered_map` 0.99 (chained), ehm with its default delta 0.95 (it grows at
  0.969), ehm with delta 1/128 up to 0.99 (it grows at 0.992). GLib cannot fix its capacity
  and sits the sweep out, and so does `ehm-cpp`: the sweep measures the table, which
  `ehm-c` already covers.
- **Noise.** The machine is a shared virtual machine. CPU time leaves out the time the
  process waits for a CPU, but caches and memory bandwidth are shared with whatever else
  runs (see the load average). Between runs, absolute times move by 10–20%; ratios within
  one run move less.
"""


def document(context, results, plots, command, invocation):
    present = [m for m in MAP_ORDER if any(key[2] == m for key in results)]
    parts = [
        INTRO.format(maps="\n".join(f"- **{m}**: {MAP_NAMES[m]}" for m in present)),
        "## Machine and run\n",
        machine_section(context, command, invocation) + "\n",
        "## Targets\n",
        "Ratios of times (or bytes) measured in this run; lower is better for ehm.\n",
        targets_section(results) + "\n",
        errors_section(results),
        "### Batch lookups\n",
        "Not a target, the targets compare one-key lookups. `ehm_get_many` (since 1.1) takes"
        " 64 keys per call in this suite, hashes 16 at a time and starts loading their groups"
        " before it searches any, so their cache misses overlap; boost has no batch lookup."
        " u64 keys, ehm-c:\n",
        batch_section(results),
        "## Results\n",
        "CPU nanoseconds per operation (lower is better); columns are the maps listed at the"
        " top. Ratio columns divide ehm's figure by the peer's. n/a: the map has no such"
        " operation (GLib has no reserve). ¹ ehm-c only: its ratio columns divide by the"
        " peer's one-key lookup.\n",
        results_section(results),
    ]
    if sweep_slots(results):
        parts += ["## Load-factor sweep\n", sweep_section(results, plots)]
    parts.append(METHOD)
    return "\n".join(part for part in parts if part)


HOT_PATHS = ("<!-- begin hot-paths -->", "<!-- end hot-paths -->")


def keep_hot_paths(path, text):
    """Carries the block scripts/hot-paths wrote in `path` over into `text`,
    before its Targets section."""
    try:
        with open(path, encoding="utf-8") as f:
            old = f.read()
    except OSError:
        return text
    begin, end = HOT_PATHS
    if begin not in old or end not in old or "## Targets" not in text:
        return text
    block = old[old.index(begin):old.index(end) + len(end)]
    at = text.index("## Targets")
    return text[:at] + block + "\n\n" + text[at:]


# ---- the README's summary -------------------------------------------------------

SUMMARY_BEGIN = "<!-- benchmark-summary: begin; tests/bench/report.py writes this block -->"
SUMMARY_END = "<!-- benchmark-summary: end -->"
SUMMARY_PEERS = ("boost", "absl")


def markdown_tables(text):
    """{(workload heading, size heading): {row label: {column: cell}}} of the
    Results section of docs/benchmarks.md."""
    tables, workload, size, header = {}, None, None, None
    for line in text.splitlines():
        if line.startswith("## ") and line != "## Results":
            workload = None
        if line.startswith("### "):
            workload, size = line[4:].strip(), None
        elif line.startswith("**") and line.endswith("**"):
            size = line.strip("*")
        elif line.startswith("|") and workload and size:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0] == "ns per operation":
                header = cells
            elif header and not set(cells[0]) <= set("-"):
                tables.setdefault((workload, size), {})[cells[0]] = dict(zip(header, cells))
        else:
            header = None
    return tables


def number(cell):
    try:
        return float(cell.replace(",", ""))
    except (AttributeError, ValueError):
        return None


def machine_line(text):
    fields = {}
    for line in text.splitlines():
        if line.startswith("- **") and ":**" in line:
            key, value = line[4:].split(":**", 1)
            fields[key] = value.strip()
    return fields


def summary_block(benchmarks_md):
    """The README's summary, from the text of docs/benchmarks.md."""
    tables = markdown_tables(benchmarks_md)
    fields = machine_line(benchmarks_md)
    rows, ratios = [], {}
    wanted = (("u64 → u64", "u64 → u64"), ("string keys of 8–64 bytes, 8-byte values",
                                         "string keys, 8-byte values"))
    ops = (("lookup", "lookup, present key"), ("insert", "insert, growing from empty"),
           ("bytes", "bytes per entry (allocator)"))
    for workload, label in wanted:
        heading = next((w for (w, _) in tables if w.startswith(workload)), None)
        for (w, size), found in tables.items():
            if w != heading:
                continue
            cells = []
            for key, op in ops:
                row = found.get(op)
                if row is None:
                    cells.append("—")
                    continue
                ehm = number(row.get("ehm-c"))
                peers = [number(row.get(p)) for p in SUMMARY_PEERS]
                cells.append(" / ".join(row.get(m, "—") for m in ("ehm-c",) + SUMMARY_PEERS))
                ratios.setdefault((label, key), []).extend(ehm / p for p in peers if ehm and p)
            load = found.get("load factor (entries / slots)", {})
            cells.append(" / ".join(load.get(m, "—") for m in ("ehm-c",) + SUMMARY_PEERS))
            rows.append([label, size.replace(" entries", "")] + cells)
    if not rows:
        raise ValueError("no results tables in docs/benchmarks.md")

    def span(label, key):
        values = ratios.get((label, key))
        return f"{min(values):.2f}–{max(values):.2f}×" if values else "—"

    verdicts = [f"{label}: lookups take {span(label, 'lookup')} the time of boost's and"
                f" absl's, growing insertions {span(label, 'insert')}, and the bytes per entry"
                f" are {span(label, 'bytes')} theirs." for _, label in wanted
                if (label, "lookup") in ratios]

    lines = [
        SUMMARY_BEGIN,
        f"Measured by `scripts/bench` on {fields.get('CPU', '?')}"
        f" ({fields.get('Date', '?')[:10]};"
        " [docs/benchmarks.md](docs/benchmarks.md) has every figure). ehm through its C ABI"
        " against `boost::unordered_flat_map` and `absl::flat_hash_map`, all with their"
        " defaults, each figure ehm / boost / absl:",
        "",
        table(["keys", "entries", "lookup of a present key, ns", "insert, growing, ns",
               "bytes per entry", "load factor"], rows),
        "",
        " ".join(verdicts),
        SUMMARY_END,
    ]
    return "\n".join(lines) + "\n"


def replace_summary(readme_text, block):
    begin, end = readme_text.find(SUMMARY_BEGIN), readme_text.find(SUMMARY_END)
    if begin < 0 or end < begin:
        raise ValueError("README has no benchmark-summary markers")
    end = readme_text.index("\n", end) + 1
    return readme_text[:begin] + block + readme_text[end:]


def update_readme(benchmarks_path, readme_path, check):
    with open(benchmarks_path, encoding="utf-8") as f:
        block = summary_block(f.read())
    with open(readme_path, encoding="utf-8") as f:
        old = f.read()
    new = replace_summary(old, block)
    if check:
        if new != old:
            print(f"report: the summary in {readme_path} differs from {benchmarks_path}; run"
                  f" tests/bench/report.py --summary-from {benchmarks_path} --readme"
                  f" {readme_path}")
            return False
        print(f"report: the summary in {readme_path} matches {benchmarks_path}")
        return True
    if new != old:
        with open(readme_path, "w", encoding="utf-8") as f:
            f.write(new)
    print(f"report: wrote the summary in {readme_path}")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="ehm_bench --benchmark_out file")
    parser.add_argument("--out", help="the Markdown file to write")
    parser.add_argument("--img", help="directory for the plots and data")
    parser.add_argument("--command", help="the ehm_bench command line")
    parser.add_argument("--invocation", help="the command that ran the suite")
    parser.add_argument("--readme", help="also write the summary into this README")
    parser.add_argument("--summary-from", help="only the summary, from this docs/benchmarks.md")
    parser.add_argument("--check", action="store_true", help="with --summary-from: compare only")
    args = parser.parse_args()
    if args.summary_from:
        if not args.readme:
            parser.error("--summary-from needs --readme")
        sys.exit(0 if update_readme(args.summary_from, args.readme, args.check) else 1)
    missing = [name for name in ("json", "out", "img", "command", "invocation")
               if getattr(args, name) is None]
    if missing:
        parser.error("missing " + ", ".join("--" + name for name in missing))
    context, results = load_results(args.json)
    if not results:
        sys.exit(f"report: no benchmarks in {args.json}")
    plots = write_plots(results, args.img)
    text = keep_hot_paths(args.out, document(context, results, plots, args.command, args.invocation))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"report: wrote {args.out}")
    if args.readme and not update_readme(args.out, args.readme, False):
        sys.exit(1)


if __name__ == "__main__":
    main()
