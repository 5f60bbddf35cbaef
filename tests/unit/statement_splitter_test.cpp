#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "script/statement_splitter.hpp"

using migrator::dialect::DialectKind;
using migrator::script::split_statements;
using migrator::script::SqlSource;
using migrator::script::Statement;

namespace {

using Texts = std::vector<std::string>;
using Lines = std::vector<std::size_t>;

std::vector<Statement> split(std::string_view sql, DialectKind kind, std::size_t first_line = 1) {
    auto statements = split_statements(sql, kind, SqlSource{"v/0001_a.sql", first_line});
    INFO(sql);
    if (!statements) FAIL(statements.error().message);
    return std::move(*statements);
}

Texts texts(std::string_view sql, DialectKind kind) {
    Texts out;
    for (const auto& statement : split(sql, kind)) out.push_back(statement.sql);
    return out;
}

Lines lines(std::string_view sql, DialectKind kind, std::size_t first_line) {
    Lines out;
    for (const auto& statement : split(sql, kind, first_line)) out.push_back(statement.line);
    return out;
}

// The failure message, or "" when the text split.
std::string error_of(std::string_view sql, DialectKind kind, std::size_t first_line = 1) {
    const auto statements = split_statements(sql, kind, SqlSource{"v/0001_a.sql", first_line});
    return statements ? std::string() : statements.error().message;
}

constexpr std::array all_dialects{DialectKind::Sqlite, DialectKind::Postgresql, DialectKind::Mysql};

}  // namespace

TEST_CASE("splitter cuts on top-level semicolons and trims, for every dialect", "[statement_splitter]") {
    const auto kind = GENERATE(from_range(all_dialects));
    CHECK(texts("  CREATE TABLE a (x INT) ;\n\nINSERT INTO a VALUES (1);  DROP TABLE b", kind) ==
          Texts{"CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)", "DROP TABLE b"});
    CHECK(texts("", kind).empty());
    CHECK(texts(" \n\t\n", kind).empty());
    CHECK(texts(";;  ;\n;", kind).empty());
    CHECK(texts("-- nothing to do here\n/* nor here; really */\n", kind).empty());
    CHECK(texts("SELECT 1; -- trailing note", kind) == Texts{"SELECT 1"});
    CHECK(texts("INSERT INTO t VALUES ('a;b'); SELECT 'it''s; fine'", kind) ==
          Texts{"INSERT INTO t VALUES ('a;b')", "SELECT 'it''s; fine'"});
    CHECK(texts("SELECT 1 -- one; two\n+ 1;\nSELECT /* a; b */ 2;", kind) ==
          Texts{"SELECT 1 -- one; two\n+ 1", "SELECT /* a; b */ 2"});
    CHECK(texts("-- add users\n/* block\n comment */\n  CREATE TABLE users (id INT)\n  -- trailing\n;\n",
                kind) == Texts{"CREATE TABLE users (id INT)"});
}

TEST_CASE("splitter gives each statement its file line, CRLF included", "[statement_splitter]") {
    const auto kind = GENERATE(from_range(all_dialects));
    CHECK(lines("-- first\r\nSELECT 1;\r\n\r\nSELECT\r\n  2;\r\n", kind, 10) == Lines{11, 13});
    CHECK(texts("SELECT\r\n  2;\r\n", kind) == Texts{"SELECT\r\n  2"});
    CHECK(lines("\n\nSELECT 'a\nb';\n/* x\ny */ SELECT 2;", kind, 7) == Lines{9, 12});
}

TEST_CASE("splitter handles many statements in one pass", "[statement_splitter]") {
    const auto kind = GENERATE(from_range(all_dialects));
    std::string sql;
    constexpr std::size_t count = 20000;
    for (std::size_t i = 0; i < count; ++i) sql += "INSERT INTO t VALUES ('x;y'); -- c;\n";
    const auto statements = split(sql, kind);
    REQUIRE(statements.size() == count);
    CHECK(statements.back().line == count);
    CHECK(statements.back().sql == "INSERT INTO t VALUES ('x;y')");
}

TEST_CASE("an unterminated comment, string or identifier is an error naming file and line",
          "[statement_splitter]") {
    const auto kind = GENERATE(from_range(all_dialects));
    CHECK(error_of("SELECT 1;\n\nSELECT 2 /* abc;\nSELECT 3;", kind, 5) ==
          "v/0001_a.sql:7: unterminated /* comment");
    CHECK(error_of("SELECT 1;\nSELECT 'abc;\nSELECT 2", kind) ==
          "v/0001_a.sql:2: unterminated quoted string");
    CHECK(error_of("SELECT 1;\n\n\nSELECT \"abc;", kind) ==
          (kind == DialectKind::Mysql ? "v/0001_a.sql:4: unterminated quoted string"
                                      : "v/0001_a.sql:4: unterminated quoted identifier"));
    // Without a path, the line alone.
    const auto unnamed = split_statements("SELECT 'x", kind);
    REQUIRE_FALSE(unnamed);
    CHECK(unnamed.error().message == "line 1: unterminated quoted string");
}

TEST_CASE("a NUL byte is an error naming file and line", "[statement_splitter]") {
    const auto kind = GENERATE(from_range(all_dialects));
    constexpr char text[] = "SELECT 1;\nSELECT 2\0; DROP TABLE t;";
    const std::string sql(text, sizeof(text) - 1);
    CHECK(error_of(sql, kind, 4) == "v/0001_a.sql:5: NUL byte in SQL; a script must be text");
}

// ---- SQLite

TEST_CASE("SQLite: quoted identifiers in all of SQLite's quotes hide semicolons", "[statement_splitter]") {
    CHECK(texts(R"(CREATE TABLE "a;b" (x INT); SELECT "x""; y" FROM t)", DialectKind::Sqlite) ==
          Texts{R"(CREATE TABLE "a;b" (x INT))", R"(SELECT "x""; y" FROM t)"});
    CHECK(texts("CREATE TABLE `a;b` (x INT); CREATE TABLE [c;d] (y INT)", DialectKind::Sqlite) ==
          Texts{"CREATE TABLE `a;b` (x INT)", "CREATE TABLE [c;d] (y INT)"});
    CHECK(error_of("SELECT 1;\nSELECT [abc", DialectKind::Sqlite) ==
          "v/0001_a.sql:2: unterminated quoted identifier");
    CHECK(error_of("SELECT `abc", DialectKind::Sqlite) == "v/0001_a.sql:1: unterminated quoted identifier");
    // No backslash escapes in SQLite: the string ends at the quote.
    CHECK(texts("SELECT 'C:\\'; SELECT 2", DialectKind::Sqlite) == Texts{"SELECT 'C:\\'", "SELECT 2"});
}

TEST_CASE("SQLite: a trigger body with CASE ... END stays one statement", "[statement_splitter]") {
    const std::string sql =
        "CREATE TABLE t (x INT, y INT);\n"
        "CREATE TEMP TRIGGER trg AFTER INSERT ON t\n"
        "WHEN (CASE WHEN NEW.x > 0 THEN 1 ELSE 0 END)\n"
        "BEGIN\n"
        "  UPDATE t SET y = CASE WHEN NEW.x > 10 THEN 1 ELSE 0 END WHERE rowid = NEW.rowid;\n"
        "  SELECT CASE WHEN NEW.y IS NULL THEN RAISE(ABORT, 'no; way') END;\n"
        "END;\n"
        "INSERT INTO t VALUES (1, 2);";
    const auto statements = split(sql, DialectKind::Sqlite);
    REQUIRE(statements.size() == 3);
    CHECK(statements[1].sql.substr(0, 24) == "CREATE TEMP TRIGGER trg ");
    CHECK(statements[1].sql.substr(statements[1].sql.size() - 3) == "END");
    CHECK(statements[2].sql == "INSERT INTO t VALUES (1, 2)");
    CHECK(lines(sql, DialectKind::Sqlite, 1) == Lines{1, 2, 8});
    CHECK(texts("create temporary trigger trg before delete on t begin delete from u; delete from v; end; "
                "select 1",
                DialectKind::Sqlite) ==
          Texts{"create temporary trigger trg before delete on t begin delete from u; delete from v; end",
                "select 1"});
    CHECK(texts("EXPLAIN CREATE TRIGGER g AFTER DELETE ON t BEGIN SELECT 1; END; SELECT 2",
                DialectKind::Sqlite) ==
          Texts{"EXPLAIN CREATE TRIGGER g AFTER DELETE ON t BEGIN SELECT 1; END", "SELECT 2"});
    // BEGIN outside a trigger is a statement of its own.
    CHECK(texts("BEGIN; CREATE TABLE event (begin_at INT, \"end\" INT); COMMIT;", DialectKind::Sqlite) ==
          Texts{"BEGIN", "CREATE TABLE event (begin_at INT, \"end\" INT)", "COMMIT"});
}

namespace {

// Whether the splitter sees `sql` as ending between statements: then a statement added after it is
// a statement of its own. A split failure means "inside a construct".
bool splitter_complete(const std::string& sql) {
    const auto before = split_statements(sql, DialectKind::Sqlite);
    const auto after = split_statements(sql + "\nx", DialectKind::Sqlite);
    return before && after && after->size() == before->size() + 1;
}

}  // namespace

TEST_CASE("SQLite: statement boundaries agree with sqlite3_complete() on generated inputs",
          "[statement_splitter]") {
    const std::vector<std::string> fragments{
        ";",       " ",       "\n",       "\t",       "--c",     "--c\n", "-",         "/",
        "/*",      "*/",      "/* x; */", "'",        "''",      "\"",    "`",         "[",
        "]",       "'a;b'",   "\"a;b\"",  "CREATE",   "create",  "TEMP",  "TEMPORARY", "temp",
        "TRIGGER", "trigger", "END",      "end",      "EXPLAIN", "BEGIN", "x",         "SELECT 1",
        "endx",    "$",       "_end",     "\xC3\xA9", "(",       ")",     "1"};
    std::mt19937 random(20240512);  // fixed: the same inputs on every run
    std::uniform_int_distribution<std::size_t> pick(0, fragments.size() - 1);
    std::uniform_int_distribution<int> length(1, 9);
    std::size_t complete_inputs = 0;
    for (int round = 0; round < 30000; ++round) {
        // A first complete statement leaves sqlite3_complete() in its START state, as a section is
        // after its previous statement.
        std::string sql = "SELECT 0;";
        for (int i = length(random); i > 0; --i) sql += fragments[pick(random)];
        if (sql.back() != ';' && round % 2 == 0) sql += ';';
        const bool expected = sqlite3_complete(sql.c_str()) != 0;
        complete_inputs += expected ? 1 : 0;
        INFO(sql);
        REQUIRE(splitter_complete(sql) == expected);
    }
    CHECK(complete_inputs > 1000);  // the inputs exercise both answers
}

// ---- PostgreSQL

TEST_CASE("PostgreSQL: dollar quotes, E strings and parameters", "[statement_splitter]") {
    const std::string sql =
        "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\n"
        "CREATE FUNCTION g() RETURNS int AS $body$\nBEGIN\n  PERFORM '$$;';\n  RETURN 2;\nEND;\n$body$ "
        "LANGUAGE plpgsql;\n"
        "SELECT 3";
    CHECK(
        texts(sql, DialectKind::Postgresql) ==
        Texts{"CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql",
              "CREATE FUNCTION g() RETURNS int AS $body$\nBEGIN\n  PERFORM '$$;';\n  RETURN 2;\nEND;\n$body$ "
              "LANGUAGE plpgsql",
              "SELECT 3"});
    CHECK(lines(sql, DialectKind::Postgresql, 1) == Lines{1, 2, 8});
    CHECK(texts("SELECT E'it\\'s; ok'; SELECT 2", DialectKind::Postgresql) ==
          Texts{"SELECT E'it\\'s; ok'", "SELECT 2"});
    CHECK(texts("PREPARE p AS SELECT $1; SELECT $2", DialectKind::Postgresql) ==
          Texts{"PREPARE p AS SELECT $1", "SELECT $2"});
    CHECK(texts("SELECT a$b$ FROM t; SELECT 2", DialectKind::Postgresql) ==
          Texts{"SELECT a$b$ FROM t", "SELECT 2"});
    // No backslash escapes in standard strings.
    CHECK(texts("SELECT 'C:\\'; SELECT 2", DialectKind::Postgresql) == Texts{"SELECT 'C:\\'", "SELECT 2"});
}

TEST_CASE("PostgreSQL: nested comments, parentheses and BEGIN ATOMIC keep their semicolons",
          "[statement_splitter]") {
    CHECK(texts("SELECT 1 /* a /* nested; */ still; */ + 1; SELECT 2", DialectKind::Postgresql) ==
          Texts{"SELECT 1 /* a /* nested; */ still; */ + 1", "SELECT 2"});
    CHECK(
        texts("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO v VALUES (2)); "
              "SELECT 3",
              DialectKind::Postgresql) ==
        Texts{"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO v VALUES (2))",
              "SELECT 3"});
    const std::string function =
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 "
        "END; END";
    CHECK(texts(function + "; SELECT 3", DialectKind::Postgresql) == Texts{function, "SELECT 3"});
    CHECK(texts("BEGIN; CREATE TABLE event (begin_at INT, \"end\" INT); COMMIT;", DialectKind::Postgresql) ==
          Texts{"BEGIN", "CREATE TABLE event (begin_at INT, \"end\" INT)", "COMMIT"});
}

TEST_CASE("PostgreSQL: a statement with no keyword is kept, for the server to reject",
          "[statement_splitter]") {
    // libpg_query's own splitter drops these.
    CHECK(texts("SELECT 1; selekt 4", DialectKind::Postgresql) == Texts{"SELECT 1", "selekt 4"});
    CHECK(texts("SELECT 1; 'abc'; SELECT 2", DialectKind::Postgresql) ==
          Texts{"SELECT 1", "'abc'", "SELECT 2"});
}

TEST_CASE("PostgreSQL: unterminated constructs are errors at their first line", "[statement_splitter]") {
    const auto pg = DialectKind::Postgresql;
    CHECK(error_of("SELECT 1;\nSELECT $x$ abc;\nSELECT 2", pg) ==
          "v/0001_a.sql:2: unterminated dollar-quoted string");
    CHECK(error_of("SELECT 1;\n\nSELECT E'abc\\';", pg) == "v/0001_a.sql:3: unterminated quoted string");
    CHECK(error_of("SELECT 1 /* a /* b */;\nSELECT 2", pg) == "v/0001_a.sql:1: unterminated /* comment");
    // Positions count characters; lines must not shift after multibyte text.
    CHECK(error_of("SELECT '\xC3\xA9\xC3\xA9';\n\xE2\x82\xAC;\nSELECT 'x", pg) ==
          "v/0001_a.sql:3: unterminated quoted string");
}

// ---- MySQL / MariaDB

TEST_CASE("MySQL: # and '-- ' comments, backslash escapes, backticks", "[statement_splitter]") {
    const auto my = DialectKind::Mysql;
    CHECK(texts("# a comment; still\nSELECT 1; # trailing; note\nSELECT 2", my) ==
          Texts{"SELECT 1", "SELECT 2"});
    CHECK(texts("SELECT 1--1; SELECT 2", my) == Texts{"SELECT 1--1", "SELECT 2"});
    CHECK(texts("SELECT 1 --\tcomment; x\n; SELECT 2", my) == Texts{"SELECT 1", "SELECT 2"});
    CHECK(texts("SELECT 'it\\'s; ok'; SELECT \"a\\\"; b\"; SELECT 'C:\\\\'; SELECT 3", my) ==
          Texts{"SELECT 'it\\'s; ok'", "SELECT \"a\\\"; b\"", "SELECT 'C:\\\\'", "SELECT 3"});
    CHECK(texts("CREATE TABLE `a;b` (x INT); SELECT `x``;`", my) ==
          Texts{"CREATE TABLE `a;b` (x INT)", "SELECT `x``;`"});
    CHECK(error_of("SELECT 'C:\\';\nSELECT 2", my) == "v/0001_a.sql:1: unterminated quoted string");
    CHECK(error_of("SELECT 1;\nSELECT `abc", my) == "v/0001_a.sql:2: unterminated quoted identifier");
}

TEST_CASE("MySQL: /*! ... */ and /*+ ... */ are SQL, not comments", "[statement_splitter]") {
    const auto my = DialectKind::Mysql;
    CHECK(texts("/*!40101 SET NAMES utf8mb4 */;\n/* just a note */;\nSELECT /*+ MAX_EXECUTION_TIME(1) */ 1;",
                my) == Texts{"/*!40101 SET NAMES utf8mb4 */", "SELECT /*+ MAX_EXECUTION_TIME(1) */ 1"});
    CHECK(error_of("SELECT 1;\n/*!40101 SET x = 1;", my) == "v/0001_a.sql:2: unterminated /*! comment");
}

TEST_CASE("MySQL: DELIMITER lines change the delimiter and are not statements", "[statement_splitter]") {
    const auto my = DialectKind::Mysql;
    const std::string body = "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 'x//y';\nEND";
    const std::string sql = "SELECT 0;\nDELIMITER //\n" + body +
                            "//\n  delimiter $$\nSELECT 2; SELECT 3$$\n" + "DELIMITER ;\nSELECT 4;";
    const auto statements = split(sql, my);
    CHECK(texts(sql, my) == Texts{"SELECT 0", body, "SELECT 2; SELECT 3", "SELECT 4"});
    CHECK(lines(sql, my, 1) == Lines{1, 3, 9, 11});
    CHECK(error_of("SELECT 1;\nDELIMITER\nSELECT 2", my) ==
          "v/0001_a.sql:2: DELIMITER needs a delimiter, such as DELIMITER //");
    CHECK(error_of("DELIMITER // extra", my) ==
          "v/0001_a.sql:1: DELIMITER takes one delimiter and nothing else on its line");
    CHECK(error_of("DELIMITER \\\\", my) == "v/0001_a.sql:1: DELIMITER cannot contain a backslash");
    // Only at the start of a statement: here it is a column name.
    CHECK(texts("SELECT a,\ndelimiter FROM t; SELECT 1", my) ==
          Texts{"SELECT a,\ndelimiter FROM t", "SELECT 1"});
}

TEST_CASE("MySQL: routine bodies stay whole without DELIMITER", "[statement_splitter]") {
    const std::string procedure =
        "CREATE DEFINER=`root`@`localhost` PROCEDURE p(IN n INT)\n"
        "BEGIN\n"
        "  DECLARE i INT DEFAULT 0;\n"
        "  IF n > 0 THEN SET i = 1; END IF;\n"
        "  l: LOOP SET i = i + 1; IF i > n THEN LEAVE l; END IF; END LOOP l;\n"
        "  CASE n WHEN 1 THEN SET i = 2; ELSE BEGIN SET i = 3; END; END CASE;\n"
        "  SET i = CASE WHEN i > 1 THEN 1 ELSE 0 END;\n"
        "END";
    CHECK(texts(procedure + ";\nSELECT 1;", DialectKind::Mysql) == Texts{procedure, "SELECT 1"});
    CHECK(texts("CREATE VIEW v AS SELECT CASE WHEN x THEN 1 END AS c FROM t; SELECT 2", DialectKind::Mysql) ==
          Texts{"CREATE VIEW v AS SELECT CASE WHEN x THEN 1 END AS c FROM t", "SELECT 2"});
}

// Found by tests/fuzz/statement_splitter_fuzz: a quote as the last character once gave an empty statement.
TEST_CASE("a lone opening quote at the end is an unterminated construct in every dialect",
          "[statement_splitter]") {
    for (const auto kind : {DialectKind::Sqlite, DialectKind::Postgresql, DialectKind::Mysql}) {
        for (const char* quote : {"'", "\""}) {
            INFO(quote);
            CHECK_FALSE(error_of(std::string("SELECT 1;\n") + quote, kind).empty());
            CHECK_FALSE(error_of(quote, kind).empty());
        }
    }
}
