#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "script/script_parser.hpp"
#include "script/statement_splitter.hpp"

using migrator::script::parse_script;
using migrator::script::split_statements;
using migrator::script::TransactionMode;

namespace {

using Strings = std::vector<std::string>;

const std::string example =
    "-- message: add email column to users\n"             // 1
    "-- revision: 3f2a9c1b7d4e\n"                         // 2
    "-- down_revision: 9b1c2d3e4f5a\n"                    // 3
    "-- branch_labels:\n"                                 // 4
    "-- depends_on:\n"                                    // 5
    "-- create_date: 2026-11-24 10:15:02\n"               // 6
    "\n"                                                  // 7
    "-- migrate:upgrade\n"                                // 8
    "ALTER TABLE users ADD COLUMN email VARCHAR(100);\n"  // 9
    "\n"                                                  // 10
    "-- migrate:downgrade\n"                              // 11
    "ALTER TABLE users DROP COLUMN email;\n";             // 12

// The example with its header lines replaced.
std::string with_header(const std::string& header) {
    return header + "-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\nSELECT 2;\n";
}

std::string error_of(const std::string& text, const char* path = "versions/0002_x.sql") {
    const auto parsed = parse_script(text, path);
    REQUIRE_FALSE(parsed.has_value());
    return parsed.error().message;
}

}  // namespace

TEST_CASE("parser reads every header key and both sections", "[script]") {
    const auto parsed = parse_script(example, "versions/0002_add_email.sql");
    REQUIRE(parsed.has_value());
    const auto& script = *parsed;
    CHECK(script.message == "add email column to users");
    CHECK(script.revision == "3f2a9c1b7d4e");
    CHECK(script.down_revisions == Strings{"9b1c2d3e4f5a"});
    CHECK(script.branch_labels.empty());
    CHECK(script.depends_on.empty());
    CHECK(script.create_date == "2026-11-24 10:15:02");
    CHECK(script.path == "versions/0002_add_email.sql");
    CHECK(script.upgrade.line == 8);
    CHECK(script.upgrade.sql == "ALTER TABLE users ADD COLUMN email VARCHAR(100);\n\n");
    CHECK(script.upgrade.transaction == TransactionMode::Transactional);
    CHECK(script.downgrade.line == 11);
    CHECK(script.downgrade.sql == "ALTER TABLE users DROP COLUMN email;\n");
}

TEST_CASE("section statements carry their file lines", "[script]") {
    const auto parsed = parse_script(example, "x.sql");
    REQUIRE(parsed.has_value());
    const auto upgrade = split_statements(parsed->upgrade.sql, migrator::dialect::DialectKind::Sqlite,
                                          {"", parsed->upgrade.line + 1})
                             .value_or_throw();
    REQUIRE(upgrade.size() == 1);
    CHECK(upgrade[0].line == 9);
    const auto downgrade = split_statements(parsed->downgrade.sql, migrator::dialect::DialectKind::Sqlite,
                                            {"", parsed->downgrade.line + 1})
                               .value_or_throw();
    REQUIRE(downgrade.size() == 1);
    CHECK(downgrade[0].line == 12);
}

TEST_CASE("parser reads lists: base, merge point, labels, dependencies", "[script]") {
    const auto base = parse_script(with_header("-- revision: aaa\n-- down_revision:\n"), "a.sql");
    REQUIRE(base.has_value());
    CHECK(base->down_revisions.empty());

    const auto merge = parse_script(with_header("-- revision: m\n-- down_revision: a1, b2 ,c3\n"
                                                "-- branch_labels: main, feature_x\n"
                                                "-- depends_on: other_branch, 55aa\n"),
                                    "m.sql");
    REQUIRE(merge.has_value());
    CHECK(merge->down_revisions == Strings{"a1", "b2", "c3"});
    CHECK(merge->branch_labels == Strings{"main", "feature_x"});
    CHECK(merge->depends_on == Strings{"other_branch", "55aa"});
    CHECK(merge->message.empty());

    const auto colon = parse_script(with_header("-- message: fix: keep a:b\n-- revision: r\n"), "c.sql");
    REQUIRE(colon.has_value());
    CHECK(colon->message == "fix: keep a:b");
}

TEST_CASE("parser reads transaction=false on either section", "[script]") {
    const auto parsed = parse_script(
        "-- revision: r\n-- migrate:upgrade transaction=false\nCREATE INDEX "
        "CONCURRENTLY i ON t (x);\n-- migrate:downgrade   transaction=false\n",
        "r.sql");
    REQUIRE(parsed.has_value());
    CHECK(parsed->upgrade.transaction == TransactionMode::NonTransactional);
    CHECK(parsed->downgrade.transaction == TransactionMode::NonTransactional);
    CHECK(parsed->downgrade.sql.empty());
}

TEST_CASE("parser allows empty sections and sections in either order", "[script]") {
    const auto parsed = parse_script(
        "-- revision: r\n-- migrate:downgrade\n-- cannot be undone\n"
        "-- migrate:upgrade\n",
        "r.sql");
    REQUIRE(parsed.has_value());
    CHECK(parsed->upgrade.sql.empty());
    CHECK(parsed->upgrade.line == 4);
    CHECK(parsed->downgrade.sql == "-- cannot be undone\n");
    CHECK(split_statements(parsed->downgrade.sql, migrator::dialect::DialectKind::Sqlite)
              .value_or_throw()
              .empty());
}

TEST_CASE("parser ignores plain comments and blank lines in the header", "[script]") {
    const auto parsed = parse_script(with_header("-- Migration for ticket 42.\n\n"
                                                 "-- Note: keep in sync with the app\n"
                                                 "-- TODO: nothing\n"
                                                 "-- see https://example.com/x\n"
                                                 "--\n"
                                                 "   -- revision: r1\n"),
                                     "r.sql");
    REQUIRE(parsed.has_value());
    CHECK(parsed->revision == "r1");
}

TEST_CASE("parser keeps header-like lines inside sections as SQL", "[script]") {
    const auto parsed = parse_script(
        "-- revision: r\n-- migrate:upgrade\n-- revision: not a key here\n"
        "SELECT 1;\n-- migrate:downgrade\n",
        "r.sql");
    REQUIRE(parsed.has_value());
    CHECK(parsed->revision == "r");
    CHECK(parsed->upgrade.sql == "-- revision: not a key here\nSELECT 1;\n");
}

TEST_CASE("parser accepts CRLF line endings, a byte order mark and a known key without a space", "[script]") {
    std::string crlf;
    for (char c : example) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    const auto parsed = parse_script("\xEF\xBB\xBF" + crlf, "crlf.sql");
    REQUIRE(parsed.has_value());
    CHECK(parsed->message == "add email column to users");
    CHECK(parsed->revision == "3f2a9c1b7d4e");
    CHECK(parsed->down_revisions == Strings{"9b1c2d3e4f5a"});
    CHECK(parsed->create_date == "2026-11-24 10:15:02");
    CHECK(parsed->downgrade.line == 11);
    const auto statements = split_statements(parsed->upgrade.sql, migrator::dialect::DialectKind::Sqlite,
                                             {"", parsed->upgrade.line + 1})
                                .value_or_throw();
    REQUIRE(statements.size() == 1);
    CHECK(statements[0].sql == "ALTER TABLE users ADD COLUMN email VARCHAR(100)");
    CHECK(statements[0].line == 9);

    const auto tight = parse_script(with_header("-- revision:abc\n"), "t.sql");
    REQUIRE(tight.has_value());
    CHECK(tight->revision == "abc");
}

TEST_CASE("parser reports an unknown header key with file, line and key", "[script]") {
    CHECK(error_of("-- message: x\n-- revision: aaa\n-- down_revison: bbb\n-- migrate:upgrade\n"
                   "-- migrate:downgrade\n") == "versions/0002_x.sql:3: unknown header key 'down_revison'");
    CHECK(error_of(with_header("-- revision: a\n-- todo: later\n")) ==
          "versions/0002_x.sql:2: unknown header key 'todo'");
}

TEST_CASE("parser reports duplicate header keys", "[script]") {
    CHECK(error_of(with_header("-- revision: a\n-- message: x\n-- revision: b\n")) ==
          "versions/0002_x.sql:3: duplicate header key 'revision' (first given on line 1)");
    CHECK_THAT(error_of(with_header("-- revision: a\n-- depends_on:\n-- depends_on: x\n")),
               Catch::StartsWith("versions/0002_x.sql:3: duplicate header key 'depends_on'"));
}

TEST_CASE("parser requires the revision and both sections", "[script]") {
    CHECK(error_of(with_header("-- message: no id\n")) ==
          "versions/0002_x.sql:1: missing header key 'revision'");
    CHECK(error_of("-- revision: a\n-- migrate:downgrade\nSELECT 1;\n") ==
          "versions/0002_x.sql:3: missing section '-- migrate:upgrade'");
    CHECK(error_of("-- revision: a\n-- migrate:upgrade\nSELECT 1;\n") ==
          "versions/0002_x.sql:3: missing section '-- migrate:downgrade'");
    CHECK(error_of("") == "versions/0002_x.sql:1: missing header key 'revision'");
}

TEST_CASE("parser refuses repeated, unknown and badly configured sections", "[script]") {
    CHECK(error_of("-- revision: a\n-- migrate:upgrade\n-- migrate:downgrade\n-- migrate:upgrade\n") ==
          "versions/0002_x.sql:4: duplicate section '-- migrate:upgrade' (first on line 2)");
    CHECK_THAT(error_of("-- revision: a\n-- migrate:up\n-- migrate:downgrade\n"),
               Catch::StartsWith("versions/0002_x.sql:2: unknown section 'migrate:up'"));
    CHECK_THAT(error_of("-- revision: a\n-- migrate:upgrade\n-- migrate:downgrade transaction=no\n"),
               Catch::StartsWith("versions/0002_x.sql:3: unknown section option 'transaction=no'"));
    CHECK_THAT(error_of("-- revision: a\n-- migrate:upgrade transaction=false extra\n-- migrate:downgrade\n"),
               Catch::StartsWith("versions/0002_x.sql:2: unknown section option"));
}

TEST_CASE("parser refuses SQL before the first section", "[script]") {
    CHECK_THAT(
        error_of("-- revision: a\nCREATE TABLE t (x INT);\n-- migrate:upgrade\n-- migrate:downgrade\n"),
        Catch::StartsWith("versions/0002_x.sql:2: SQL before the first section"));
}

TEST_CASE("parser validates the revision id, the down revisions and the labels", "[script]") {
    CHECK_THAT(error_of(with_header("-- revision: head\n")),
               Catch::StartsWith("versions/0002_x.sql:1: revision id 'head' is a reserved word"));
    CHECK_THAT(error_of(with_header("-- revision: a-b\n")),
               Catch::StartsWith("versions/0002_x.sql:1: revision id"));
    CHECK_THAT(error_of(with_header("-- revision:\n")),
               Catch::StartsWith("versions/0002_x.sql:1: revision id is empty"));
    CHECK_THAT(error_of(with_header("-- revision: " + std::string(33, 'f') + "\n")),
               Catch::StartsWith("versions/0002_x.sql:1:") && Catch::Contains("at most 32"));
    CHECK_THAT(error_of(with_header("-- revision: a\n-- down_revision: b, c@d\n")),
               Catch::StartsWith("versions/0002_x.sql:2: down_revision: revision id 'c@d'"));
    CHECK_THAT(error_of(with_header("-- revision: a\n-- branch_labels: my-branch\n")),
               Catch::StartsWith("versions/0002_x.sql:2: branch_labels: branch label 'my-branch'"));
    CHECK_THAT(error_of(with_header("-- revision: a\n-- depends_on: base\n")),
               Catch::StartsWith("versions/0002_x.sql:2: depends_on: branch label 'base'"));
}
