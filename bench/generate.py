#!/usr/bin/env python3
"""Writes the benchmark projects for one shape and size.

    bench/generate.py --shape linear --count 10000 --out DIR [--alembic]

DIR/migrator/      migrator.yaml + versions/*.sql (version table alembic_version, one transaction per migration)
DIR/alembic/       the same graph for Alembic: alembic.ini, env.py, versions/*.py running op.execute(same SQL)
DIR/floor/         the same SQL as one plain script, per-migration BEGIN/COMMIT, version-table updates and the
                   history-table row migrator writes per migration, for the sqlite3 shell (sqlite.sql) and for
                   psql (postgresql.sql); upgrade order.

Shapes: "linear" is one chain. "branchy" repeats a block of 8 revisions: a fork, two branches of three,
a depends_on from the second branch onto the first, and a merge; the next block continues from the merge.
"crossdeps" is two chains of N/2, the second labelled "crossb", each of its revisions depending on its
twin in the first: a database at crossb@head effectively stands on the first chain's head too, which
`current` lists (Alembic's get_all_current).
"comb" is a chain with a second head on every revision but the tip, the tip's file last: Alembic's walk
meets each chain revision blocked by everything above it (quadratic if each were searched again).
"""

import argparse
import hashlib
import os
from dataclasses import dataclass, field

BLOCK = 8


@dataclass
class Revision:
    index: int
    rev: str
    parents: list = field(default_factory=list)
    depends_on: list = field(default_factory=list)
    branch_labels: list = field(default_factory=list)

    @property
    def table(self):
        return f"t_{self.index:06d}"

    @property
    def upgrade_sql(self):
        return f"CREATE TABLE {self.table} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)"

    @property
    def downgrade_sql(self):
        return f"DROP TABLE {self.table}"


def revision_id(shape, index):
    return hashlib.sha1(f"{shape}:{index}".encode()).hexdigest()[:12]


def build_graph(shape, count):
    revisions = [Revision(i + 1, revision_id(shape, i + 1)) for i in range(count)]
    if shape == "linear":
        for previous, current in zip(revisions, revisions[1:]):
            current.parents = [previous.rev]
        return revisions
    if shape == "crossdeps":
        half = count // 2
        first, second = revisions[:half], revisions[half:]
        for line in (first, second):
            for previous, current in zip(line, line[1:]):
                current.parents = [previous.rev]
        second[0].branch_labels = ["crossb"]
        for twin, current in zip(first, second):
            current.depends_on = [twin.rev]
        return revisions
    if shape == "comb":
        length = (count + 1) // 2
        chain = revisions[:length - 1] + [revisions[-1]]
        for previous, current in zip(chain, chain[1:]):
            current.parents = [previous.rev]
        for base, side in zip(chain, revisions[length - 1:count - 1]):
            side.parents = [base.rev]
        return revisions
    tip = None
    full_blocks = count // BLOCK
    for block in range(full_blocks):
        r = revisions[block * BLOCK:(block + 1) * BLOCK]
        r[0].parents = [tip.rev] if tip else []
        r[1].parents = [r[0].rev]  # branch A
        r[2].parents = [r[0].rev]  # branch B
        r[3].parents = [r[1].rev]
        r[4].parents = [r[2].rev]
        r[4].depends_on = [r[3].rev]  # B needs A's r3 without being its child
        r[5].parents = [r[3].rev]
        r[6].parents = [r[4].rev]
        r[7].parents = [r[5].rev, r[6].rev]  # merge
        tip = r[7]
    for current in revisions[full_blocks * BLOCK:]:
        current.parents = [tip.rev] if tip else []
        tip = current
    return revisions


def upgrade_order(revisions):
    """Parents and dependencies before children; the files are already numbered in such an order."""
    return revisions


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_migrator(out, revisions):
    versions = os.path.join(out, "versions")
    os.makedirs(versions)
    write(os.path.join(out, "migrator.yaml"),
          "script_location: .\n"
          "version_table: alembic_version\n"
          "transaction_per_migration: true\n"
          "database:\n"
          "  url: sqlite:///bench.db\n"
          "  url_env: \"\"\n")
    for r in revisions:
        write(os.path.join(versions, f"{r.index:06d}_{r.rev}_create_{r.table}.sql"),
              f"-- message: create {r.table}\n"
              f"-- revision: {r.rev}\n"
              f"-- down_revision: {', '.join(r.parents)}\n"
              f"-- branch_labels:{''.join(' ' + label for label in r.branch_labels)}\n"
              f"-- depends_on: {', '.join(r.depends_on)}\n"
              f"-- create_date: 2026-01-01 00:00:00\n"
              f"\n"
              f"-- migrate:upgrade\n"
              f"{r.upgrade_sql};\n"
              f"\n"
              f"-- migrate:downgrade\n"
              f"{r.downgrade_sql};\n")


ALEMBIC_INI = """[alembic]
script_location = %(here)s
sqlalchemy.url = sqlite:///bench.db

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
"""

# Alembic's stock env.py, reduced to raw SQL: no target metadata, one transaction per migration.
ALEMBIC_ENV = '''from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(config.get_section(config.config_ini_section),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''


def python_value(ids):
    if not ids:
        return "None"
    if len(ids) == 1:
        return repr(ids[0])
    return "(" + ", ".join(repr(i) for i in ids) + ")"


def write_alembic(out, revisions):
    versions = os.path.join(out, "versions")
    os.makedirs(versions)
    write(os.path.join(out, "alembic.ini"), ALEMBIC_INI)
    write(os.path.join(out, "env.py"), ALEMBIC_ENV)
    for r in revisions:
        write(os.path.join(versions, f"{r.index:06d}_{r.rev}_create_{r.table}.py"),
              f'"""create {r.table}\n\nRevision ID: {r.rev}\n"""\n'
              f"from alembic import op\n\n"
              f"revision = {r.rev!r}\n"
              f"down_revision = {python_value(r.parents)}\n"
              f"branch_labels = {python_value(r.branch_labels)}\n"
              f"depends_on = {python_value(r.depends_on)}\n\n\n"
              f"def upgrade():\n    op.execute({r.upgrade_sql!r})\n\n\n"
              f"def downgrade():\n    op.execute({r.downgrade_sql!r})\n")


HISTORY_ID = {
    "sqlite": "id INTEGER PRIMARY KEY AUTOINCREMENT",
    "postgresql": "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
}


def checksum(sql):
    """What migrator stores for a section: sha256 of its normalised text (one line ending in a newline)."""
    return "sha256:" + hashlib.sha256((sql + "\n").encode()).hexdigest()


def floor_script(revisions, dialect):
    """The SQL an upgrade from empty runs, version-table changes and history rows included, one transaction
    per migration.

    Version rows change as in Alembic: with no parent row present the migration inserts its own (a base,
    or a fork's second child); otherwise it deletes all parent rows but the last and updates that one.
    Each migration also inserts the history row migrator writes (docs/integrity.md), with the same values."""
    lines = ["CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
             "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));",
             f"CREATE TABLE IF NOT EXISTS migrator_history ({HISTORY_ID[dialect]}, "
             "revision VARCHAR(255) NOT NULL, direction VARCHAR(16) NOT NULL, upgrade_checksum VARCHAR(100), "
             "downgrade_checksum VARCHAR(100), started_at VARCHAR(32) NOT NULL, duration_ms BIGINT, "
             "outcome VARCHAR(16) NOT NULL, error TEXT, actor VARCHAR(255) NOT NULL, "
             "migrator_version VARCHAR(32) NOT NULL);"]
    rows = set()
    for r in upgrade_order(revisions):
        lines.append("BEGIN;")
        lines.append(f"{r.upgrade_sql};")
        present = [p for p in r.parents if p in rows]
        if not present:
            lines.append(f"INSERT INTO alembic_version (version_num) VALUES ('{r.rev}');")
        else:
            for p in present[:-1]:
                lines.append(f"DELETE FROM alembic_version WHERE alembic_version.version_num = '{p}';")
            lines.append(f"UPDATE alembic_version SET version_num='{r.rev}' "
                         f"WHERE alembic_version.version_num = '{present[-1]}';")
            rows.difference_update(present)
        rows.add(r.rev)
        lines.append("INSERT INTO migrator_history (revision, direction, upgrade_checksum, downgrade_checksum, "
                     "started_at, duration_ms, outcome, error, actor, migrator_version) VALUES "
                     f"('{r.rev}', 'upgrade', '{checksum(r.upgrade_sql)}', '{checksum(r.downgrade_sql)}', "
                     "'2026-01-01T00:00:00.000Z', '0', 'success', NULL, 'bench@localhost', '0.1.0');")
        lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=["linear", "branchy", "crossdeps", "comb"], required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--alembic", action="store_true", help="also write the Alembic project")
    args = parser.parse_args()

    revisions = build_graph(args.shape, args.count)
    assert len({r.rev for r in revisions}) == len(revisions), "revision id collision"
    os.makedirs(args.out, exist_ok=True)
    write_migrator(os.path.join(args.out, "migrator"), revisions)
    if args.alembic:
        write_alembic(os.path.join(args.out, "alembic"), revisions)
    floor = os.path.join(args.out, "floor")
    os.makedirs(floor)
    write(os.path.join(floor, "sqlite.sql"), floor_script(revisions, "sqlite"))
    write(os.path.join(floor, "postgresql.sql"), floor_script(revisions, "postgresql"))


if __name__ == "__main__":
    main()
