#!/usr/bin/env python3
"""Runs the benchmark suite and writes its results as JSON; bench/run.sh is the entry point.

Each figure is the median of several whole-process runs. The runs of one group (the same command for
every tool, or the tools against their floor) alternate back to back, so that a noisy neighbour slows
all of them alike and the ratios hold. Time is wall time around the process; peak RSS is the
"Maximum resident set size" that /usr/bin/time -v reports.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
# `current` on the database upgrade head built, next to the sqlite3 shell running its one SELECT.
SCHEMA_BOUND = "current, N tables"
# `upgrade head` from empty while as many CPU-bound processes as there are CPUs run.
LOADED = "upgrade head, loaded"
# `upgrade head` from empty through a checkpoint of head that `squash head` wrote; the floor replays it all.
CHECKPOINT = "upgrade head, checkpoint"
SQUASH = "squash head"
# `migrator test`: every revision upgraded, downgraded and upgraded again in a SQLite scratch file, then the
# whole range downgraded and upgraded again.
ROUND_TRIPS = "test"
# Fleets: `upgrade head --all-targets -j J` over many databases from empty, against the floor of the sqlite3
# shell / psql running the same script over the same databases one by one.
FLEET = "fleet upgrade"
FLEET_SIZES = {"sqlite": 200, "postgresql": 50}
FLEET_MIGRATIONS = 100
GROUPS = ("upgrade", "read-only", "schema-bound", "downgrade", "loaded", "postgresql", "checkpoint", "test",
          "fleet")
GRAPH_COMMANDS = {
    "current": ["current"],
    "heads": ["heads"],
    "history": ["history"],
    "upgrade head --sql": ["upgrade", "head", "--sql"],
}
# The crossdeps graph is there for `current` listing the effective head of the other chain; the comb for the
# revision walk's worst case so far (every chain revision blocked by everything above it).
SHAPE_COMMANDS = {"crossdeps": ("current",), "comb": ("current", "heads", "history")}
# Where the graph commands' database stands: one head, or the labelled chain that depends on the other.
STAMP_TARGET = {"crossdeps": "crossb@head", "comb": "heads"}
ALEMBIC_MAX = 10_000
# Debian's interpreter, where python3-alembic is installed, whatever python3 comes first in PATH.
DEBIAN_PYTHON = "/usr/bin/python3"


class Spec:
    """One measured process: what to run, where, and what to reset (untimed) before each run."""

    def __init__(self, key, argv, cwd, reps, setup=None, stdin=None, env=None):
        self.key, self.argv, self.cwd, self.reps = key, argv, cwd, reps
        self.setup, self.stdin, self.env = setup, stdin, env


# stderr goes to a file, not a pipe: a pipe would wake this script for every "Running upgrade" line
# and bill the tool that logs (migrator, Alembic) for the harness's own CPU time. The file is in memory
# (/dev/shm) where there is one: on the disk, its writeback competes with the database's fdatasync
# calls, which costs a tool that logs a line per migration 2-3% at 10k, and the floor logs nothing.
STDERR_DIR = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


def run_once(spec):
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, \
            tempfile.TemporaryFile("w+b", suffix=".err", dir=STDERR_DIR) as errors:
        stdin = open(spec.stdin, "rb") if spec.stdin else subprocess.DEVNULL
        try:
            start = time.perf_counter()
            done = subprocess.run(["/usr/bin/time", "-v", "-o", report.name, *spec.argv], cwd=spec.cwd,
                                  stdin=stdin, stdout=subprocess.DEVNULL, stderr=errors, env=spec.env)
            elapsed = time.perf_counter() - start
        finally:
            if spec.stdin:
                stdin.close()
        if done.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace").strip().splitlines()[-3:]
            raise SystemExit(f"error: {' '.join(spec.argv)} (in {spec.cwd}) exited {done.returncode}: "
                             + " | ".join(tail))
        rss_kb = 0
        for line in report.read().splitlines():
            if "Maximum resident set size" in line:
                rss_kb = int(line.rsplit(":", 1)[1])
        return elapsed, rss_kb


WARM_UP_FROM = 3  # specs with at least this many timed runs get one untimed run first


def measure(specs, results, label):
    """Runs every spec `reps` times, the specs alternating in flipping order, each after a sync; records
    median time and peak RSS. A spec with several runs is first run once untimed, so that the first
    timed run does not pay for cold caches (a cold first run was 25% slower for every tool at 10k)."""
    for spec in specs:
        if spec.reps >= WARM_UP_FROM:
            if spec.setup:
                spec.setup()
            run_once(spec)
    samples = {spec.key: [] for spec in specs}
    for rep in range(max(spec.reps for spec in specs)):
        # The order flips every repetition, so that no tool always runs right after another one's writes.
        for spec in specs if rep % 2 == 0 else reversed(specs):
            if rep >= spec.reps:
                continue
            if spec.setup:
                spec.setup()
            # Earlier runs' dirty pages are written back now, not during the timed run.
            os.sync()
            samples[spec.key].append(run_once(spec))
        print(f"  {label}: run {rep + 1} done", file=sys.stderr, flush=True)
    for spec in specs:
        times = [t for t, _ in samples[spec.key]]
        results.append({
            **dict(zip(("shape", "count", "backend", "tool", "command"), spec.key)),
            "seconds": statistics.median(times),
            "runs": len(times),
            "all_seconds": times,
            "peak_rss_kb": max(r for _, r in samples[spec.key]),
        })
        r = results[-1]
        print(f"    {r['tool']:9} {r['command']:20} {r['seconds'] * 1000:10.1f} ms "
              f"{r['peak_rss_kb'] / 1024:7.1f} MB  ({len(times)} runs)", file=sys.stderr, flush=True)


class CpuLoad:
    """As many busy processes as CPUs, for the length of a `with` block: a CI runner or a shared host."""

    def __enter__(self):
        self.procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                      for _ in range(os.cpu_count() or 1)]
        return self

    def __exit__(self, *exc):
        for proc in self.procs:
            proc.kill()
            proc.wait()


def remove(path):
    if os.path.exists(path):
        os.remove(path)


def restore(source, target):
    return lambda: shutil.copyfile(source, target)


def sqlite_groups(project, shape, count, migrator, reps, groups, results):
    """upgrade head from empty against the sqlite3 floor (idle and loaded), the read-only commands,
    `current` on the database with N tables, downgrade base; `groups` picks which of them run."""
    m_dir = os.path.join(project, "migrator")
    a_dir = os.path.join(project, "alembic")
    f_dir = os.path.join(project, "floor")
    with_alembic = os.path.isdir(a_dir)
    alembic = [DEBIAN_PYTHON, "-m", "alembic", "-c", "alembic.ini"]
    key = lambda tool, command: (shape, count, "sqlite", tool, command)
    fresh = lambda directory: lambda: remove(os.path.join(directory, "bench.db"))

    def upgrade_specs(command, runs):
        return [
            Spec(key("sqlite3", command), ["sqlite3", "bench.db"], f_dir, runs, setup=fresh(f_dir),
                 stdin=os.path.join(f_dir, "sqlite.sql")),
            Spec(key("migrator", command), [migrator, "upgrade", "head"], m_dir, runs, setup=fresh(m_dir)),
        ]

    upgrades = reps["upgrade"] > 0 and shape in reps["upgrade_shapes"]
    if upgrades and "loaded" in groups and reps.get("loaded", 0) > 0:
        with CpuLoad():
            measure(upgrade_specs(LOADED, reps["loaded"]), results, f"{shape} {count} upgrade under load")
    needs_head = upgrades and groups & {"schema-bound", "downgrade"}
    if upgrades and "upgrade" in groups:
        specs = upgrade_specs("upgrade head", reps["upgrade"])
        if with_alembic:
            specs.append(Spec(key("alembic", "upgrade head"), [*alembic, "upgrade", "head"], a_dir,
                              reps["alembic_slow"], setup=fresh(a_dir)))
        measure(specs, results, f"{shape} {count} upgrade")
    elif needs_head:
        fresh(m_dir)()
        subprocess.run([migrator, "-q", "upgrade", "head"], cwd=m_dir, check=True, stdout=subprocess.DEVNULL)
    head_db = os.path.join(project, "head.db")  # the database upgrade head built: N tables
    if needs_head:
        shutil.copyfile(os.path.join(m_dir, "bench.db"), head_db)

    if "read-only" in groups:
        # The graph commands at every N run against a database that holds only the version table, so that
        # they measure the tool and not SQLite loading N table definitions (measured separately below).
        stamped_db = os.path.join(project, "stamped.db")
        remove(os.path.join(m_dir, "bench.db"))
        subprocess.run([migrator, "-q", "stamp", STAMP_TARGET.get(shape, "head")], cwd=m_dir, check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copyfile(os.path.join(m_dir, "bench.db"), stamped_db)
        commands = {name: argv for name, argv in GRAPH_COMMANDS.items()
                    if name in SHAPE_COMMANDS.get(shape, GRAPH_COMMANDS)}
        specs = [Spec(key("migrator", name), [migrator, *argv], m_dir, reps["graph"])
                 for name, argv in commands.items()]
        if with_alembic:
            shutil.copyfile(stamped_db, os.path.join(a_dir, "bench.db"))
            specs += [Spec(key("alembic", name), [*alembic, *argv], a_dir,
                           reps["alembic_slow"] if name == "current" else reps["alembic_fast"])
                      for name, argv in commands.items()]
        measure(specs, results, f"{shape} {count} read-only")

    if needs_head and "schema-bound" in groups:
        # `current` against the database with N tables: SQLite parses every table definition before the
        # first statement. The floor is the sqlite3 shell running the one SELECT on the same file.
        shutil.copyfile(head_db, os.path.join(m_dir, "bench.db"))
        specs = [
            Spec(key("sqlite3", SCHEMA_BOUND), ["sqlite3", "bench.db", "SELECT version_num FROM alembic_version"],
                 m_dir, reps["graph"]),
            Spec(key("migrator", SCHEMA_BOUND), [migrator, "current"], m_dir, reps["graph"]),
        ]
        measure(specs, results, f"{shape} {count} current with N tables")

        # verify and status read every applied script and the history rows upgrade head wrote.
        specs = [Spec(key("migrator", name), [migrator, name], m_dir, reps["graph"]) for name in ("verify", "status")]
        measure(specs, results, f"{shape} {count} verify and status")

    if needs_head and "downgrade" in groups:
        specs = [Spec(key("migrator", "downgrade base"), [migrator, "downgrade", "base"], m_dir, reps["downgrade"],
                      setup=restore(head_db, os.path.join(m_dir, "bench.db")))]
        if with_alembic:
            specs.append(Spec(key("alembic", "downgrade base"), [*alembic, "downgrade", "base"], a_dir,
                              min(reps["alembic_slow"], reps["downgrade"]),
                              setup=restore(head_db, os.path.join(a_dir, "bench.db"))))
        measure(specs, results, f"{shape} {count} downgrade")

    if "test" in groups and reps.get("test", 0) > 0 and shape == "linear":
        # The scratch database is the command's own; the project's bench.db is never opened.
        measure([Spec(key("migrator", ROUND_TRIPS), [migrator, "test"], m_dir, reps["test"])], results,
                f"{shape} {count} test")

    if "checkpoint" in groups and reps.get("checkpoint", 0) > 0 and shape == "linear":
        # Last, and removed afterwards: every other group replays the scripts.
        with checkpoint_of_head(m_dir, [migrator], key("migrator", SQUASH), results, f"{shape} {count}"):
            specs = upgrade_specs(CHECKPOINT, reps["checkpoint"])
            measure(specs, results, f"{shape} {count} upgrade through a checkpoint")


class checkpoint_of_head:
    """`squash head` in the project (timed once: it replays every script in a scratch database), and the
    checkpoints directory removed again on leaving."""

    def __init__(self, m_dir, migrator_argv, squash_key, results, label):
        self.directory = os.path.join(m_dir, "checkpoints")  # the benchmark's script_location is "."
        self.spec = Spec(squash_key, [*migrator_argv, "squash", "head", "-m", "benchmark"], m_dir, 1,
                         setup=lambda: shutil.rmtree(self.directory, ignore_errors=True))
        self.results, self.label = results, label

    def __enter__(self):
        measure([self.spec], self.results, f"{self.label} squash")

    def __exit__(self, *exc):
        shutil.rmtree(self.directory, ignore_errors=True)


def with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def postgresql_group(project, shape, count, migrator, reps, url, groups, results):
    """upgrade head from empty on PostgreSQL against psql running the same script; with the checkpoint
    group, also through a checkpoint of head."""
    database = "bench_upgrade"
    admin = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]

    def fresh_database():
        subprocess.run([*admin, "-c", f"DROP DATABASE IF EXISTS {database}", "-c", f"CREATE DATABASE {database}"],
                       check=True, stdout=subprocess.DEVNULL)

    target = with_database(url, database)
    f_dir = os.path.join(project, "floor")
    m_dir = os.path.join(project, "migrator")
    key = lambda tool, command="upgrade head": (shape, count, "postgresql", tool, command)

    def upgrade_specs(command):
        return [
            Spec(key("psql", command),
                 ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target, "-f", "postgresql.sql"], f_dir, reps,
                 setup=fresh_database),
            Spec(key("migrator", command), [migrator, "--url", target, "upgrade", "head"], m_dir, reps,
                 setup=fresh_database),
        ]

    if "postgresql" in groups:
        measure(upgrade_specs("upgrade head"), results, f"{shape} {count} postgresql upgrade")
    # A checkpoint of N tables takes N locks in one transaction; past the server's lock table `upgrade`
    # refuses it by design (docs/checkpoints.md), so that row is not measured.
    capacity = int(subprocess.run(
        [*admin, "-At", "-c", "SELECT current_setting('max_locks_per_transaction')::int * "
         "(current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)"],
        check=True, capture_output=True, text=True).stdout.strip())
    if "checkpoint" in groups and count >= capacity:
        print(f"  {shape} {count} postgresql checkpoint: not measured, {count} tables exceed the server's "
              f"lock table ({capacity} slots)", file=sys.stderr, flush=True)
    elif "checkpoint" in groups:
        fresh_database()  # squash creates its scratch database beside this one
        with checkpoint_of_head(m_dir, [migrator, "--url", target], key("migrator", SQUASH), results,
                                f"{shape} {count} postgresql"):
            measure(upgrade_specs(CHECKPOINT), results, f"{shape} {count} postgresql upgrade through a checkpoint")
    subprocess.run([*admin, "-c", f"DROP DATABASE IF EXISTS {database}"], check=True, stdout=subprocess.DEVNULL)


def fleet_jobs():
    """-j 1, -j equal to the CPUs, and twice that."""
    cpus = os.cpu_count() or 1
    return sorted({1, cpus, 2 * cpus})


def fleet_group(project, migrator, reps, pg_url, results):
    """A fleet of SQLite files (and, with a server, of PostgreSQL databases) brought from empty to head
    with --all-targets at several -j, against the floor running the same script one database at a time."""
    m_dir = os.path.join(project, "migrator")
    f_dir = os.path.join(project, "floor")
    config = os.path.join(m_dir, "migrator.yaml")
    with open(config, encoding="utf-8") as f:
        base_config = f.read()

    def use_targets(lines):
        with open(os.path.join(m_dir, "fleet.txt"), "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in lines))
        with open(config, "w", encoding="utf-8") as f:
            f.write(base_config + "\ntargets_from: fleet.txt\n")

    size = FLEET_SIZES["sqlite"]
    key = lambda backend, tool, command: ("linear", FLEET_MIGRATIONS, backend, tool, command)
    files = [f"t{i:03}.db" for i in range(size)]
    use_targets([f"t{i:03} sqlite:///fleet/{name}" for i, name in enumerate(files)])

    def fresh_files(directory):
        def reset():
            shutil.rmtree(os.path.join(directory, "fleet"), ignore_errors=True)
            os.makedirs(os.path.join(directory, "fleet"))
        return reset

    floor = "for db in " + " ".join(files) + "; do sqlite3 fleet/$db < sqlite.sql || exit 1; done"
    specs = [Spec(key("sqlite", "sqlite3", f"{FLEET} {size}, one by one"), ["sh", "-c", floor], f_dir, reps,
                  setup=fresh_files(f_dir))]
    specs += [Spec(key("sqlite", "migrator", f"{FLEET} {size}, -j {jobs}"),
                   [migrator, "-q", "upgrade", "head", "--all-targets", "-j", str(jobs)], m_dir, reps,
                   setup=fresh_files(m_dir))
              for jobs in fleet_jobs()]
    measure(specs, results, f"fleet of {size} SQLite databases")

    if pg_url:
        size = FLEET_SIZES["postgresql"]
        names = [f"bench_fleet_{i:02}" for i in range(size)]
        admin = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", pg_url]

        def fresh_databases():
            statements = []
            for name in names:
                statements += ["-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"]
            subprocess.run([*admin, *statements], check=True, stdout=subprocess.DEVNULL)

        use_targets([f"{name} {with_database(pg_url, name)}" for name in names])
        floor = " ".join(f"psql -X -q -v ON_ERROR_STOP=1 -d '{with_database(pg_url, name)}' -f postgresql.sql &&"
                         for name in names) + " true"
        specs = [Spec(key("postgresql", "psql", f"{FLEET} {size}, one by one"), ["sh", "-c", floor], f_dir, reps,
                      setup=fresh_databases)]
        specs += [Spec(key("postgresql", "migrator", f"{FLEET} {size}, -j {jobs}"),
                       [migrator, "-q", "upgrade", "head", "--all-targets", "-j", str(jobs)], m_dir, reps,
                       setup=fresh_databases)
                  for jobs in fleet_jobs()]
        measure(specs, results, f"fleet of {size} PostgreSQL databases")
        subprocess.run([*admin, *[arg for name in names for arg in ("-c", f"DROP DATABASE IF EXISTS {name}")]],
                       check=True, stdout=subprocess.DEVNULL)
    with open(config, "w", encoding="utf-8") as f:
        f.write(base_config)


def plan(quick):
    """(count, repetitions) per size, chosen to keep the full run near 30 minutes on a disk where SQLite's
    commit costs ~6 ms: upgrade/downgrade at 10k run on the linear graph only (the floor target), with
    fewer repetitions; 100k measures the read-only commands only, against a stamped database. The loaded
    upgrade runs on the linear graph only."""
    if quick:
        small = {"upgrade": 3, "downgrade": 3, "graph": 3, "alembic_fast": 1, "alembic_slow": 1,
                 "postgresql": 3, "checkpoint": 3, "test": 3, "upgrade_shapes": ("linear", "branchy")}
        return [(100, small), (1000, small)]
    return [
        (1_000, {"upgrade": 3, "downgrade": 3, "graph": 9, "alembic_fast": 3, "alembic_slow": 1,
                 "postgresql": 9, "loaded": 5, "checkpoint": 5, "test": 3, "upgrade_shapes": ("linear", "branchy")}),
        (10_000, {"upgrade": 7, "downgrade": 1, "graph": 7, "alembic_fast": 3, "alembic_slow": 1,
                  "postgresql": 3, "loaded": 5, "checkpoint": 5, "upgrade_shapes": ("linear",)}),
        (100_000, {"upgrade": 0, "downgrade": 0, "graph": 5, "alembic_fast": 0, "alembic_slow": 0,
                   "postgresql": 0, "upgrade_shapes": ()}),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--migrator", required=True, help="the Release binary to measure")
    parser.add_argument("--out", required=True, help="results JSON")
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs: for development")
    parser.add_argument("--shapes", default="linear,branchy,crossdeps,comb")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated groups to measure, of: {', '.join(GROUPS)}")
    parser.add_argument("--counts", help="comma-separated N to measure (default: every N of the plan)")
    parser.add_argument("--merge", help="an earlier results JSON: its rows that this run does not measure are kept")
    args = parser.parse_args()
    groups = set(args.only.split(","))
    if not groups <= set(GROUPS):
        raise SystemExit(f"error: --only: unknown group(s) {', '.join(sorted(groups - set(GROUPS)))}")
    counts = {int(c) for c in args.counts.split(",")} if args.counts else None

    migrator = os.path.abspath(args.migrator)
    pg_url = os.environ.get("MIGRATOR_TEST_POSTGRESQL_URL", "")
    results = []
    started = time.time()
    try:
        with tempfile.TemporaryDirectory(prefix="migrator-bench-") as work:
            if "fleet" in groups:
                project = os.path.join(work, "fleet")
                print(f"fleet: generating {FLEET_MIGRATIONS} migrations", file=sys.stderr, flush=True)
                subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--shape", "linear", "--count",
                                str(FLEET_MIGRATIONS), "--out", project], check=True)
                fleet_group(project, migrator, 1 if args.quick else 3, pg_url, results)
                shutil.rmtree(project)
            for count, reps in plan(args.quick):
                if counts is not None and count not in counts:
                    continue
                for shape in args.shapes.split(","):
                    if groups <= {"fleet"}:
                        break
                    if shape != "linear" and groups <= {"loaded", "postgresql", "checkpoint", "test", "fleet"}:
                        continue
                    project = os.path.join(work, f"{shape}-{count}")
                    generate = [sys.executable, os.path.join(HERE, "generate.py"), "--shape", shape,
                                "--count", str(count), "--out", project]
                    # Alembic's walk is quadratic on the comb: minutes at 10k for one `history`.
                    if count <= (1_000 if shape == "comb" else ALEMBIC_MAX):
                        generate.append("--alembic")
                    print(f"{shape} {count}: generating", file=sys.stderr, flush=True)
                    subprocess.run(generate, check=True)
                    sqlite_groups(project, shape, count, migrator, reps, groups, results)
                    if groups & {"postgresql", "checkpoint"} and pg_url and reps["postgresql"] > 0 and shape == "linear":
                        postgresql_group(project, shape, count, migrator, reps["postgresql"], pg_url, groups, results)
                    shutil.rmtree(project)
    except (SystemExit, KeyboardInterrupt):
        # What was measured before a failure is kept, marked as an aborted run, then the failure goes on.
        write_results(args, results, started, groups, aborted=True)
        raise
    write_results(args, results, started, groups, aborted=False)


def write_results(args, results, started, groups, aborted):
    measured_at = time.strftime("%Y-%m-%d", time.gmtime())
    for r in results:
        r["date"] = measured_at
    minutes = (time.time() - started) / 60
    if args.merge and os.path.exists(args.merge):
        with open(args.merge, encoding="utf-8") as f:
            earlier = json.load(f)
        keys = lambda r: (r["shape"], r["count"], r["backend"], r["tool"], r["command"])
        fresh = {keys(r) for r in results}
        results = [r for r in earlier["results"] if keys(r) not in fresh] + results
    version = subprocess.run([DEBIAN_PYTHON, "-c", "import alembic; print(alembic.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"quick": args.quick, "alembic_version": version, "minutes": minutes,
                   "groups": sorted(groups), "aborted": aborted,
                   "machine": os.uname().machine, "cpus": os.cpu_count(), "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
