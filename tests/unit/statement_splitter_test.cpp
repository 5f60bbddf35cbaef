#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "migrator/script/statement_splitter.hpp"

using migrator::script::split_statements;
using migrator::script::Statement;

namespace {

std::vector<std::string> texts(const std::vector<Statement>& statements) {
    std::vector<std::string> out;
    for (const auto& statement : statements) out.push_back(statement.sql);
    return out;
}

std::vector<std::size_t> lines(const std::vector<Statement>& statements) {
    std::vector<std::size_t> out;
    for (const auto& statement : statements) out.push_back(statement.line);
    return out;
}

using Texts = std::vector<std::string>;
using Lines = std::vector<std::size_t>;

}  // namespace

TEST_CASE("splitter cuts on top-level semicolons and trims", "[script]") {
    const auto statements =
        split_statements("  CREATE TABLE a (x INT) ;\n\nINSERT INTO a VALUES (1);  DROP TABLE b");
    CHECK(texts(statements) == Texts{"CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)", "DROP TABLE b"});
    CHECK(lines(statements) == Lines{1, 3, 3});
}

TEST_CASE("splitter drops empty and comment-only statements", "[script]") {
    CHECK(split_statements("").empty());
    CHECK(split_statements(" \n\t\n").empty());
    CHECK(split_statements(";;  ;\n;").empty());
    CHECK(split_statements("-- nothing to do here\n/* nor here; really */\n").empty());
    CHECK(texts(split_statements("SELECT 1; -- trailing note")) == Texts{"SELECT 1"});
}

TEST_CASE("splitter keeps semicolons inside single-quoted strings", "[script]") {
    CHECK(texts(split_statements("INSERT INTO t VALUES ('a;b'); SELECT 'it''s; fine'")) ==
          Texts{"INSERT INTO t VALUES ('a;b')", "SELECT 'it''s; fine'"});
    // Standard strings treat a backslash as an ordinary character.
    CHECK(texts(split_statements("SELECT 'C:\\'; SELECT 2")) == Texts{"SELECT 'C:\\'", "SELECT 2"});
}

TEST_CASE("splitter honours backslash escapes in PostgreSQL E'...' strings only", "[script]") {
    CHECK(texts(split_statements("SELECT E'it\\'s; ok'; SELECT 2")) ==
          Texts{"SELECT E'it\\'s; ok'", "SELECT 2"});
    CHECK(texts(split_statements("SELECT e'a\\\\'; SELECT 2")) == Texts{"SELECT e'a\\\\'", "SELECT 2"});
    // "name'..." is not an E string: the E belongs to a longer word.
    CHECK(texts(split_statements("SELECT Xe'a\\'; SELECT 2")) == Texts{"SELECT Xe'a\\'", "SELECT 2"});
}

TEST_CASE("splitter keeps semicolons inside quoted identifiers", "[script]") {
    CHECK(texts(split_statements(R"(CREATE TABLE "a;b" (x INT); SELECT "x""; y" FROM t)")) ==
          Texts{R"(CREATE TABLE "a;b" (x INT))", R"(SELECT "x""; y" FROM t)"});
    CHECK(texts(split_statements("CREATE TABLE `a;b` (x INT); SELECT 1")) ==
          Texts{"CREATE TABLE `a;b` (x INT)", "SELECT 1"});
    CHECK(texts(split_statements("CREATE TABLE [a;b] (x INT); SELECT 1")) ==
          Texts{"CREATE TABLE [a;b] (x INT)", "SELECT 1"});
}

TEST_CASE("splitter keeps semicolons inside comments", "[script]") {
    const auto statements = split_statements("SELECT 1 -- one; two\n+ 1;\nSELECT /* a; b */ 2;");
    CHECK(texts(statements) == Texts{"SELECT 1 -- one; two\n+ 1", "SELECT /* a; b */ 2"});
    CHECK(lines(statements) == Lines{1, 3});
}

TEST_CASE("splitter starts a statement after its leading comments and ends it at its last token",
          "[script]") {
    const auto statements = split_statements(
        "-- add users\n/* block\n comment */\n  CREATE TABLE users (id INT)\n"
        "  -- trailing\n;\n");
    REQUIRE(statements.size() == 1);
    CHECK(statements[0].sql == "CREATE TABLE users (id INT)");
    CHECK(statements[0].line == 4);
}

TEST_CASE("splitter keeps semicolons inside PostgreSQL dollar quotes", "[script]") {
    const std::string sql =
        "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\n"
        "CREATE FUNCTION g() RETURNS int AS $body$\nBEGIN\n  PERFORM '$$;';\n  RETURN 2;\nEND;\n$body$ "
        "LANGUAGE plpgsql;\n"
        "SELECT 3";
    const auto statements = split_statements(sql);
    CHECK(
        texts(statements) ==
        Texts{"CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql",
              "CREATE FUNCTION g() RETURNS int AS $body$\nBEGIN\n  PERFORM '$$;';\n  RETURN 2;\nEND;\n$body$ "
              "LANGUAGE plpgsql",
              "SELECT 3"});
    CHECK(lines(statements) == Lines{1, 2, 8});
}

TEST_CASE("splitter does not mistake parameters or identifiers with '$' for dollar quotes", "[script]") {
    CHECK(texts(split_statements("PREPARE p AS SELECT $1; SELECT $2")) ==
          Texts{"PREPARE p AS SELECT $1", "SELECT $2"});
    CHECK(texts(split_statements("SELECT a$b$ FROM t; SELECT 2")) == Texts{"SELECT a$b$ FROM t", "SELECT 2"});
}

TEST_CASE("splitter keeps a SQLite trigger body with CASE ... END in one statement", "[script]") {
    const std::string sql =
        "CREATE TABLE t (x INT, y INT);\n"
        "CREATE TEMP TRIGGER trg AFTER INSERT ON t\n"
        "WHEN (CASE WHEN NEW.x > 0 THEN 1 ELSE 0 END)\n"
        "BEGIN\n"
        "  UPDATE t SET y = CASE WHEN NEW.x > 10 THEN 1 ELSE 0 END WHERE rowid = NEW.rowid;\n"
        "  SELECT CASE WHEN NEW.y IS NULL THEN RAISE(ABORT, 'no; way') END;\n"
        "END;\n"
        "INSERT INTO t VALUES (1, 2);";
    const auto statements = split_statements(sql);
    REQUIRE(statements.size() == 3);
    CHECK(statements[1].sql.substr(0, 24) == "CREATE TEMP TRIGGER trg ");
    CHECK(statements[1].sql.substr(statements[1].sql.size() - 3) == "END");
    CHECK(statements[2].sql == "INSERT INTO t VALUES (1, 2)");
    CHECK(lines(statements) == Lines{1, 2, 8});
}

TEST_CASE("splitter recognises CREATE TEMPORARY TRIGGER and lower case keywords", "[script]") {
    const auto statements = split_statements(
        "create temporary trigger trg before delete on t begin delete from u; delete from v; end; select 1");
    CHECK(texts(statements) ==
          Texts{"create temporary trigger trg before delete on t begin delete from u; delete from v; end",
                "select 1"});
}

TEST_CASE("splitter splits a trigger without BEGIN (PostgreSQL) at its semicolon", "[script]") {
    const auto statements = split_statements(
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\nSELECT 1;");
    CHECK(texts(statements) ==
          Texts{"CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "SELECT 1"});
}

TEST_CASE("splitter handles MySQL routine bodies with END IF, END LOOP and END CASE", "[script]") {
    const std::string procedure =
        "CREATE DEFINER=`root`@`localhost` PROCEDURE p(IN n INT)\n"
        "BEGIN\n"
        "  DECLARE i INT DEFAULT 0;\n"
        "  IF n > 0 THEN SET i = 1; END IF;\n"
        "  l: LOOP SET i = i + 1; IF i > n THEN LEAVE l; END IF; END LOOP l;\n"
        "  CASE n WHEN 1 THEN SET i = 2; ELSE BEGIN SET i = 3; END; END CASE;\n"
        "  SET i = CASE WHEN i > 1 THEN 1 ELSE 0 END;\n"
        "END";
    const auto statements = split_statements(procedure + ";\nSELECT 1;");
    CHECK(texts(statements) == Texts{procedure, "SELECT 1"});
}

TEST_CASE("splitter keeps a PostgreSQL BEGIN ATOMIC body together", "[script]") {
    const std::string function =
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 "
        "END; END";
    CHECK(texts(split_statements(function + "; SELECT 3")) == Texts{function, "SELECT 3"});
}

TEST_CASE("splitter treats BEGIN outside CREATE routines as an ordinary statement", "[script]") {
    CHECK(texts(split_statements("BEGIN; CREATE TABLE event (begin_at INT, \"end\" INT); COMMIT;")) ==
          Texts{"BEGIN", "CREATE TABLE event (begin_at INT, \"end\" INT)", "COMMIT"});
    CHECK(texts(split_statements("CREATE VIEW v AS SELECT CASE WHEN x THEN 1 END AS c FROM t; SELECT 2")) ==
          Texts{"CREATE VIEW v AS SELECT CASE WHEN x THEN 1 END AS c FROM t", "SELECT 2"});
}

TEST_CASE("splitter counts lines with CRLF endings and strips the carriage returns", "[script]") {
    const auto statements = split_statements("-- first\r\nSELECT 1;\r\n\r\nSELECT\r\n  2;\r\n", 10);
    CHECK(texts(statements) == Texts{"SELECT 1", "SELECT\r\n  2"});
    CHECK(lines(statements) == Lines{11, 13});
}

TEST_CASE("splitter reports lines relative to first_line", "[script]") {
    const auto statements = split_statements("\n\nSELECT 'a\nb';\n/* x\ny */ SELECT 2;", 7);
    CHECK(lines(statements) == Lines{9, 12});  // SELECT 2 follows the comment on line 12
}

TEST_CASE("splitter keeps the rest of an unterminated string or comment as one statement", "[script]") {
    CHECK(texts(split_statements("SELECT 'abc; SELECT 2")) == Texts{"SELECT 'abc; SELECT 2"});
    CHECK(texts(split_statements("SELECT $x$ abc; SELECT 2")) == Texts{"SELECT $x$ abc; SELECT 2"});
    CHECK(texts(split_statements("SELECT 1 /* abc; SELECT 2")) == Texts{"SELECT 1"});
}

// Found by tests/fuzz/statement_splitter_fuzz: a quote as the last character gave an empty statement.
TEST_CASE("splitter keeps a lone opening quote at the end as statement text", "[script]") {
    for (const char* quote : {"'", "E'", "\"", "`", "["}) {
        INFO(quote);
        CHECK(texts(split_statements(quote)) == Texts{quote});
        CHECK(texts(split_statements(std::string("SELECT 1; ") + quote)) == Texts{"SELECT 1", quote});
    }
}

TEST_CASE("splitter handles many statements in one pass", "[script]") {
    std::string sql;
    constexpr std::size_t count = 100000;
    for (std::size_t i = 0; i < count; ++i) sql += "INSERT INTO t VALUES ('x;y'); -- c;\n";
    const auto statements = split_statements(sql);
    REQUIRE(statements.size() == count);
    CHECK(statements.back().line == count);
    CHECK(statements.back().sql == "INSERT INTO t VALUES ('x;y')");
}
