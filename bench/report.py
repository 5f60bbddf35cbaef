#!/usr/bin/env python3
"""Turns bench/run.py's JSON into docs/performance.md (tables, targets) and a log-log PNG plot.

The prose that is not a measurement (what was changed and what it bought) lives in
bench/performance-notes.md and is appended as it is.
"""

import argparse
import json
import os
import subprocess

from run import GROUPS

HERE = os.path.dirname(os.path.abspath(__file__))
GRAPH = ["current", "heads", "history", "upgrade head --sql"]
MIGRATIONS = ["upgrade head", "downgrade base"]
SCHEMA_BOUND = "current, N tables"  # `current` on the database upgrade head built (bench/run.py)
LOADED = "upgrade head, loaded"  # upgrade head while one CPU-bound process per CPU runs (bench/run.py)
FLEET = "fleet upgrade"  # upgrade head --all-targets -j J over a fleet of databases (bench/run.py)
CHECKPOINT = "upgrade head, checkpoint"  # upgrade head from empty through a checkpoint of head (bench/run.py)
SQUASH = "squash head"  # writing that checkpoint: every script replayed in a scratch database
ROUND_TRIPS = "test"  # `migrator test`: every revision's round trip in a SQLite scratch file, then end to end
COLUMNS = [*MIGRATIONS, *GRAPH, SCHEMA_BOUND]


def only(groups):
    """The --only part of the last run's command line; empty when it measured every group."""
    return "" if not groups or set(groups) >= set(GROUPS) else " --only " + ",".join(groups)


def fmt_seconds(s):
    if s is None:
        return ""
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def index(results):
    return {(r["shape"], r["count"], r["backend"], r["tool"], r["command"]): r for r in results}


def tables(data):
    rows = index(data["results"])
    counts = sorted({r["count"] for r in data["results"]})
    shapes = [s for s in ("linear", "branchy", "crossdeps", "comb") if any(r["shape"] == s for r in data["results"])]
    out = []
    for shape in shapes:
        out += [f"### {shape.capitalize()} graph, SQLite", "",
                "| N | tool | " + " | ".join(f"`{c}`" for c in COLUMNS) + " | peak RSS |",
                "|---|---|" + "---|" * len(COLUMNS) + "---|"]
        for count in counts:
            for tool in ("sqlite3", "migrator", "alembic"):
                cells = [rows.get((shape, count, "sqlite", tool, c)) for c in COLUMNS]
                if not any(cells):
                    continue
                rss = max(c["peak_rss_kb"] for c in cells if c) / 1024
                name = "sqlite3 shell (floor)" if tool == "sqlite3" else tool
                out.append(f"| {count:,} | {name} | "
                           + " | ".join(fmt_seconds(c["seconds"]) if c else "" for c in cells)
                           + f" | {rss:.1f} MB |")
        out.append("")
    loaded = sorted({r["count"] for r in data["results"] if r["command"] == LOADED})
    if loaded:
        out += ["### Linear graph, SQLite, `upgrade head` under load (one CPU-bound process per CPU)", "",
                "| N | sqlite3 shell (floor) | migrator | ratio | measured |", "|---|---|---|---|---|"]
        for count in loaded:
            f = rows.get(("linear", count, "sqlite", "sqlite3", LOADED))
            m = rows.get(("linear", count, "sqlite", "migrator", LOADED))
            if f and m:
                out.append(f"| {count:,} | {fmt_seconds(f['seconds'])} | {fmt_seconds(m['seconds'])} | "
                           f"{m['seconds'] / f['seconds']:.3f}× | {m.get('date', '')} |")
        out.append("")
    checkpointed = sorted({(r["backend"], r["count"]) for r in data["results"] if r["command"] == CHECKPOINT})
    if checkpointed:
        out += ["### Linear graph, a fresh database at head through a checkpoint (`squash head`, then `upgrade head`)",
                "", "| backend | N | floor: every script replayed | migrator through the checkpoint | ratio | "
                "`squash head` (once) | measured |", "|---|---|---|---|---|---|---|"]
        for backend, count in checkpointed:
            f = rows.get(("linear", count, backend, "psql" if backend == "postgresql" else "sqlite3", CHECKPOINT))
            m = rows.get(("linear", count, backend, "migrator", CHECKPOINT))
            q = rows.get(("linear", count, backend, "migrator", SQUASH))
            if f and m:
                out.append(f"| {backend} | {count:,} | {fmt_seconds(f['seconds'])} | {fmt_seconds(m['seconds'])} | "
                           f"{m['seconds'] / f['seconds']:.3f}× | {fmt_seconds(q and q['seconds'])} | "
                           f"{m.get('date', '')} |")
        out.append("")
    tested = sorted({r["count"] for r in data["results"] if r["command"] == ROUND_TRIPS})
    if tested:
        out += ["### Linear graph, SQLite, `migrator test` (each revision upgraded, downgraded, compared and upgraded "
                "again, then the range downgraded and upgraded in one run each)", "",
                "| N | `migrator test` | peak RSS | measured | `upgrade head` (for scale) | measured |",
                "|---|---|---|---|---|---|"]
        for count in tested:
            t = rows.get(("linear", count, "sqlite", "migrator", ROUND_TRIPS))
            u = rows.get(("linear", count, "sqlite", "migrator", "upgrade head"))
            out.append(f"| {count:,} | {fmt_seconds(t['seconds'])} | {t['peak_rss_kb'] / 1024:.1f} MB | "
                       f"{t.get('date', '')} | {fmt_seconds(u and u['seconds'])} | {(u or {}).get('date', '')} |")
        out.append("")
    fleet = [r for r in data["results"] if r["command"].startswith(FLEET)]
    if fleet:
        out += ["### Fleets: `upgrade head --all-targets -j J` from empty, every database to head", "",
                "| backend | databases × migrations | tool | time | databases per second | peak RSS | measured |",
                "|---|---|---|---|---|---|---|"]
        for r in sorted(fleet, key=lambda r: (r["backend"], r["tool"] == "migrator", r["command"])):
            size = int(r["command"][len(FLEET):].split(",")[0])
            how = r["command"].split(", ", 1)[1]
            name = f"{r['tool']} (floor), {how}" if r["tool"] != "migrator" else f"migrator {how}"
            out.append(f"| {r['backend']} | {size} × {r['count']} | {name} | {fmt_seconds(r['seconds'])} | "
                       f"{size / r['seconds']:.1f} | {r['peak_rss_kb'] / 1024:.1f} MB | {r.get('date', '')} |")
        out.append("")
    pg = [r for r in data["results"] if r["backend"] == "postgresql" and r["command"] == "upgrade head"]
    if pg:
        out += ["### PostgreSQL 15, linear graph, `upgrade head` from empty", "",
                "| N | tool | time | peak RSS |", "|---|---|---|---|"]
        for r in sorted(pg, key=lambda r: (r["count"], r["tool"] != "psql")):
            name = "psql (floor)" if r["tool"] == "psql" else r["tool"]
            out.append(f"| {r['count']:,} | {name} | {fmt_seconds(r['seconds'])} | {r['peak_rss_kb'] / 1024:.1f} MB |")
        out.append("")
    return out


def apart(a, b):
    """Two rows measured on different days cannot make a ratio: the host's speed changes from day to day."""
    if a and b and a.get("date") != b.get("date"):
        return f"measured apart ({a.get('date', '?')}, {b.get('date', '?')}): no ratio"
    return None


def targets(data):
    rows = index(data["results"])
    get = lambda *key: rows.get(key)
    checks = []

    def check(what, value, limit, shown):
        if value is None:
            checks.append(f"| {what} | not measured | {limit} | - |")
        elif isinstance(value, str):
            checks.append(f"| {what} | {value} | {limit} | - |")
        else:
            checks.append(f"| {what} | {shown} | {limit} | {'met' if value[0] <= value[1] else '**missed**'} |")

    for shape in ("linear", "branchy"):
        for command in GRAPH:
            r = get(shape, 10_000, "sqlite", "migrator", command)
            limit = 0.100 if command == "upgrade head --sql" else 0.050
            check(f"{shape} 10k `{command}`", r and (r["seconds"], limit), f"≤ {limit * 1000:.0f} ms",
                  r and fmt_seconds(r["seconds"]))
        # SQLite's rows only: the PostgreSQL upgrade has a floor (psql) of its own.
        at_10k = [r for r in data["results"] if r["shape"] == shape and r["count"] == 10_000
                  and r["tool"] == "migrator" and r["backend"] == "sqlite"]
        peak = max((r["peak_rss_kb"] for r in at_10k if r["command"] in GRAPH), default=None)
        check(f"{shape} 10k peak RSS, `current` `heads` `history` `upgrade head --sql`",
              peak and (peak / 1024, 16), "≤ 16 MB", peak and f"{peak / 1024:.1f} MB")
        # Running 10,000 CREATE TABLEs makes SQLite itself hold their schema; the floor shows how much.
        peak = max((r["peak_rss_kb"] for r in at_10k if r["command"] in MIGRATIONS), default=None)
        floor = get(shape, 10_000, "sqlite", "sqlite3", "upgrade head")
        if peak:
            check(f"{shape} 10k peak RSS, `upgrade head` `downgrade base`", (peak / 1024, 16), "≤ 16 MB",
                  f"{peak / 1024:.1f} MB" + (f" (sqlite3 shell on the same SQL: "
                                             f"{floor['peak_rss_kb'] / 1024:.1f} MB)" if floor else ""))
        # SQLite parses all N table definitions before `current` can run its one SELECT; the shell's
        # time for that SELECT on the same file is the floor, and the 50 ms are what migrator may add.
        m = get(shape, 10_000, "sqlite", "migrator", SCHEMA_BOUND)
        f = get(shape, 10_000, "sqlite", "sqlite3", SCHEMA_BOUND)
        if m and f:
            check(f"{shape} 10k `current` on the database with 10k tables", (m["seconds"], f["seconds"] + 0.050),
                  "≤ sqlite3 floor + 50 ms",
                  f"{fmt_seconds(m['seconds'])}, {m['peak_rss_kb'] / 1024:.1f} MB (sqlite3 shell's SELECT: "
                  f"{fmt_seconds(f['seconds'])}, {f['peak_rss_kb'] / 1024:.1f} MB)")
        for command in GRAPH:
            big = get(shape, 100_000, "sqlite", "migrator", command)
            small = get(shape, 10_000, "sqlite", "migrator", command)
            ratio = big and small and big["seconds"] / small["seconds"]
            check(f"{shape} `{command}` 100k / 10k", apart(big, small) or (ratio and (ratio, 12)), "≤ 12×",
                  ratio and f"{ratio:.1f}×")
    # Two chains, one depending on the other: `current` adds the other chain's effective head.
    r = get("crossdeps", 10_000, "sqlite", "migrator", "current")
    check("crossdeps 10k `current`", r and (r["seconds"], 0.050), "≤ 50 ms", r and fmt_seconds(r["seconds"]))

    def ratio_check(what, backend, count, floor_tool, command, limit):
        m = get("linear", count, backend, "migrator", command)
        f = get("linear", count, backend, floor_tool, command)
        ratio = m and f and m["seconds"] / f["seconds"]
        check(what, apart(m, f) or (ratio and (ratio, limit)), f"≤ {limit:.2f}×", ratio and f"{ratio:.3f}×")

    for count, name in ((1_000, "1k"), (10_000, "10k")):
        ratio_check(f"linear {name} `upgrade head` / sqlite3 floor", "sqlite", count, "sqlite3", "upgrade head", 1.05)
        ratio_check(f"linear {name} `upgrade head` under load / sqlite3 floor under load", "sqlite", count,
                    "sqlite3", LOADED, 1.10)
        ratio_check(f"linear {name} `upgrade head` on PostgreSQL / psql floor", "postgresql", count, "psql",
                    "upgrade head", 1.05)
    r = get("linear", 10_000, "sqlite", "migrator", CHECKPOINT)
    check("linear 10k fresh SQLite database at head through a checkpoint", r and (r["seconds"], 1.0), "≤ 1 s",
          r and fmt_seconds(r["seconds"]))
    return ["| target | measured | limit | |", "|---|---|---|---|", *checks, ""]


def plot(data, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shapes = [s for s in ("linear", "branchy", "crossdeps", "comb") if any(r["shape"] == s for r in data["results"])]
    fig, axes = plt.subplots(1, len(shapes), figsize=(6.5 * len(shapes), 5), squeeze=False)
    for ax, shape in zip(axes[0], shapes):
        series = {}
        for r in data["results"]:
            if r["shape"] == shape and r["backend"] == "sqlite" and not r["command"].startswith(FLEET):
                series.setdefault((r["tool"], r["command"]), []).append((r["count"], r["seconds"]))
        for (tool, command), points in sorted(series.items()):
            points.sort()
            style = {"migrator": "-o", "alembic": "--s", "sqlite3": ":^"}[tool]
            ax.plot([p[0] for p in points], [p[1] for p in points], style, label=f"{tool} {command}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("revisions (N)")
        ax.set_ylabel("wall time, median (s)")
        ax.set_title(f"{shape} graph, SQLite")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--doc", required=True)
    parser.add_argument("--plot", required=True)
    args = parser.parse_args()
    with open(args.results, encoding="utf-8") as f:
        data = json.load(f)

    libraries = subprocess.run(["ldd", args.binary], capture_output=True, text=True).stdout.strip().splitlines()
    with open(os.path.join(HERE, "performance-notes.md"), encoding="utf-8") as f:
        notes = f.read()
    runs = sorted({(r["count"], r["tool"], r["runs"]) for r in data["results"]})
    lines = [
        "# Performance",
        "",
        "Generated by `bench/run.sh`; do not edit by hand (the prose at the end comes from "
        "bench/performance-notes.md).",
        "",
        # The last run may have measured some groups only (--only); the other rows keep their own dates.
        f"Last run: `bench/run.sh{' --quick' if data['quick'] else ''}"
        f"{only(data.get('groups'))}`, {data['minutes']:.1f} min, "
        f"{data['cpus']} CPUs ({data['machine']}), Alembic {data['alembic_version'] or 'not installed'}, "
        f"migrator links {len(libraries)} shared objects (ldd).",
        "",
    ]
    if data["quick"]:
        lines += ["**This is a `--quick` run** (N = 100 and 1k, few runs): the targets need the full run.", ""]
    lines += [
        "Every figure is the median wall time of several whole-process runs (peak RSS: the largest "
        "`Maximum resident set size` of `/usr/bin/time -v` over those runs); a command with three runs or "
        "more is first run once untimed, to warm the caches. The tools of one row group run "
        "alternately, back to back, in an order that flips every repetition and each after a `sync`, so that "
        "a noisy machine slows them alike and no tool pays for another's disk writes. Every tool's stdout goes "
        "to `/dev/null` and its stderr (the log lines) to a file in memory (`/dev/shm`), so that logging costs "
        "no disk writes the floor does not make. Each migration creates one "
        "table in its own transaction (`transaction_per_migration`), and every tool keeps its version in "
        "`alembic_version`. The floor is the same SQL, with the same BEGIN/COMMIT and version-table "
        "statements, fed to the `sqlite3` shell or to `psql` as one file. The graph commands (`current`, "
        "`heads`, `history`, `upgrade head --sql`) run against a database that holds only the version table "
        "(`stamp head`), the same at every N, so that they measure the tool; `current, N tables` runs "
        "against the database `upgrade head` built, where SQLite first parses all N table definitions, next "
        "to the `sqlite3` shell running the same SELECT on the same file.",
        "",
        "Repetitions: " + ", ".join(sorted({f"{c:,}: {t} ×{n}" for c, t, n in runs})) + ".",
        "",
        "## Targets", "",
        *targets(data),
        "## Results", "",
        f"![time against N, log-log]({os.path.basename(args.plot)})", "",
        *tables(data),
        notes.rstrip(), "",
    ]
    with open(args.doc, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    plot(data, args.plot)


if __name__ == "__main__":
    main()
