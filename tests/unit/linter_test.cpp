#include <catch2/catch.hpp>

#include "lint_support.hpp"

using namespace lint_support;
using migrator::lint::Settings;
using migrator::lint::Severity;

TEST_CASE("a finding names the file, line, statement, why and the fix", "[lint]") {
    const auto found = findings(make_script("CREATE TABLE t (id INT);\nDROP TABLE users;", "DROP TABLE t;"),
                                DialectKind::Sqlite);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "drop-table");
    CHECK(found[0].path == "v/0001_aaaaaaaaaaaa_x.sql");
    CHECK(found[0].revision == "aaaaaaaaaaaa");
    CHECK(found[0].line == 5);
    CHECK(found[0].statement == "DROP TABLE users");
    CHECK(found[0].message == "drops table users");
    CHECK_FALSE(found[0].why.empty());
    CHECK_FALSE(found[0].fix.empty());
}

TEST_CASE("lint:ignore silences one rule on its statement only", "[lint]") {
    for (const auto kind : all_dialects) {
        const auto found = findings(make_script("-- lint:ignore drop-table the archive moved to S3\n"
                                                "DROP TABLE archive;\nDROP TABLE logs;\n",
                                                "SELECT 1;"),
                                    kind);
        REQUIRE(found.size() == 1);
        CHECK(found[0].message == "drops table logs");
        CHECK(findings(
                  make_script("DROP TABLE logs; -- lint:ignore drop-table unused since 2024\n", "SELECT 1;"),
                  kind)
                  .empty());
        CHECK(findings(make_script("CREATE TABLE t (id INT);",
                                   "-- lint:ignore missing-downgrade the data stays\n"),
                       kind)
                  .empty());
    }
}

TEST_CASE("lint:ignore without a reason or with an unknown rule is an error naming the line", "[lint]") {
    auto result =
        migrator::lint::lint_script(make_script("-- lint:ignore drop-table\nDROP TABLE a;", "SELECT 1;"),
                                    DialectKind::Sqlite, Settings{});
    REQUIRE_FALSE(result);
    CHECK(result.error().message ==
          "v/0001_aaaaaaaaaaaa_x.sql:4: lint:ignore drop-table needs a reason after the rule id");
    result =
        migrator::lint::lint_script(make_script("-- lint:ignore drop-tabel old\nDROP TABLE a;", "SELECT 1;"),
                                    DialectKind::Sqlite, Settings{});
    REQUIRE_FALSE(result);
    CHECK(result.error().message ==
          "v/0001_aaaaaaaaaaaa_x.sql:4: lint:ignore names an unknown rule 'drop-tabel' (did you mean "
          "'drop-table'?)");
}

TEST_CASE("settings switch rules off or make them errors", "[lint]") {
    const auto script = make_script("DROP TABLE a;\nALTER TABLE b RENAME TO c;", "SELECT 1;");
    auto settings = Settings::from_config({{"drop-table", "off", "m.yaml:2:3: 'lint.drop-table'"},
                                           {"rename-table", "error", "m.yaml:3:3: 'lint.rename-table'"}});
    REQUIRE(settings);
    const auto found = findings(script, DialectKind::Sqlite, *settings);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "rename-table");
    CHECK(found[0].severity == Severity::Error);
    const auto unknown = Settings::from_config({{"drop-tabel", "off", "m.yaml:2:3: 'lint.drop-tabel'"}});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message ==
          "m.yaml:2:3: 'lint.drop-tabel' is not a lint rule (did you mean 'drop-table'?)");
}

TEST_CASE("every rule has advice and a unique id", "[lint]") {
    std::vector<std::string_view> ids;
    for (const auto& rule : migrator::lint::rules()) {
        CHECK_FALSE(rule.why.empty());
        CHECK_FALSE(rule.fix.empty());
        CHECK(std::find(ids.begin(), ids.end(), rule.id) == ids.end());
        ids.push_back(rule.id);
    }
}
