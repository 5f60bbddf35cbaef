#include "script/checkpoint_file.hpp"

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

using migrator::dialect::DialectKind;
using migrator::script::CheckpointFile;
using migrator::script::data_statement_keyword;
using migrator::script::list_checkpoints;
using migrator::script::parse_checkpoint;
using migrator::script::render_checkpoint;
using Names = std::vector<std::string>;

TEST_CASE("a rendered checkpoint parses back with its statements and their lines", "[checkpoint_file]") {
    CheckpointFile header;
    header.revision = "abc123";
    header.message = "first year";
    header.dialect = "sqlite";
    header.create_date = "2026-12-03 10:00:00";
    const auto text = render_checkpoint(
        header, {"a note: with a colon"},
        {"CREATE TABLE a (\n    id INTEGER\n)", "-- review: x", "CREATE INDEX i ON a (id)"});
    CHECK(text.rfind("-- checkpoint: abc123\n-- message: first year\n-- dialect: sqlite\n", 0) == 0);
    const auto parsed = parse_checkpoint(text, "checkpoints/abc123_sqlite.sql", DialectKind::Sqlite);
    REQUIRE(parsed);
    CHECK(parsed->revision == "abc123");
    CHECK(parsed->message == "first year");
    CHECK(parsed->dialect == "sqlite");
    CHECK(parsed->create_date == "2026-12-03 10:00:00");
    REQUIRE(parsed->statements.size() == 2);
    CHECK(parsed->statements[0].sql == "CREATE TABLE a (\n    id INTEGER\n)");
    CHECK(parsed->statements[0].line == 8);
    CHECK(parsed->statements[1].sql == "CREATE INDEX i ON a (id)");
    CHECK(parsed->statements[1].line == 12);
}

TEST_CASE("a checkpoint without its revision, its marker or with SQL in the header fails naming the line",
          "[checkpoint_file]") {
    const auto no_revision =
        parse_checkpoint("-- message: x\n-- migrate:upgrade\nSELECT 1;\n", "c.sql", DialectKind::Sqlite);
    REQUIRE_FALSE(no_revision);
    CHECK(no_revision.error().message == "c.sql:2: the header has no '-- checkpoint: REV' line");
    const auto no_marker = parse_checkpoint("-- checkpoint: a1\n", "c.sql", DialectKind::Sqlite);
    REQUIRE_FALSE(no_marker);
    CHECK(no_marker.error().message == "c.sql:1: no '-- migrate:upgrade' line");
    const auto sql_first = parse_checkpoint("-- checkpoint: a1\nDROP TABLE x;\n-- migrate:upgrade\n", "c.sql",
                                            DialectKind::Sqlite);
    REQUIRE_FALSE(sql_first);
    CHECK(sql_first.error().message.rfind("c.sql:2: SQL before", 0) == 0);
}

TEST_CASE("checkpoints are listed per dialect from their file names", "[checkpoint_file]") {
    test::TempDir dir;
    CHECK(list_checkpoints(dir.path() / "missing", "sqlite").empty());
    dir.write("b2_sqlite.sql", "");
    dir.write("a1_sqlite.sql", "");
    dir.write("a1_postgresql.sql", "");
    dir.write(".c3_sqlite.sql", "");
    dir.write("notes.txt", "");
    CHECK(list_checkpoints(dir.path(), "sqlite") == Names{"a1", "b2"});
    CHECK(list_checkpoints(dir.path(), "postgresql") == Names{"a1"});
    CHECK(list_checkpoints(dir.path(), "mysql").empty());
}

TEST_CASE("statements that change data are told from DDL", "[checkpoint_file]") {
    CHECK(data_statement_keyword("INSERT INTO t VALUES (1)") == "INSERT");
    CHECK(data_statement_keyword("  update t SET a = 1") == "UPDATE");
    CHECK(data_statement_keyword("-- tidy up\nDELETE FROM t") == "DELETE");
    CHECK(data_statement_keyword("/* x */ replace into t values (1)") == "REPLACE");
    CHECK(data_statement_keyword("MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN DELETE") ==
          "MERGE");
    CHECK(data_statement_keyword("COPY t FROM '/tmp/x.csv'") == "COPY");
    CHECK(data_statement_keyword("DO $$ BEGIN PERFORM 1; END $$") == "DO");
    CHECK(data_statement_keyword(
              "WITH old AS (SELECT id FROM t) DELETE FROM t WHERE id IN (SELECT id FROM old)") == "DELETE");
    CHECK_FALSE(data_statement_keyword("CREATE TABLE inserts (id INTEGER)"));
    CHECK_FALSE(data_statement_keyword("ALTER TABLE t ADD COLUMN updated_at DATE"));
    CHECK_FALSE(data_statement_keyword("CREATE TABLE t (id INTEGER REFERENCES u ON DELETE CASCADE)"));
    CHECK_FALSE(data_statement_keyword("WITH x AS (SELECT 1) SELECT * FROM x"));
    CHECK_FALSE(data_statement_keyword("-- INSERT INTO t\nCREATE INDEX i ON t (a)"));
}
