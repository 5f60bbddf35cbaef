#include "runtime/preflight.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "script/revision_map.hpp"
#include "script/script_loader.hpp"

using migrator::Expected;
using migrator::dialect::DialectKind;
using migrator::runtime::check_plan_scripts;
using migrator::runtime::CheckedPlan;
using migrator::runtime::Direction;
using migrator::runtime::MigrationStep;
using migrator::runtime::Plan;
using migrator::runtime::VersionChangeKind;
using migrator::script::RevisionMap;
using migrator::script::Script;

namespace {

std::string id_of(std::size_t i) {
    return fmt::format("{:012x}", i + 1);
}

std::string path_of(std::size_t i) {
    return fmt::format("/versions/{:04}.sql", i);
}

// Upgrade SQL on line 5, downgrade SQL on line 7.
std::string script_text(std::size_t i, const std::string& upgrade_sql, const std::string& downgrade_sql) {
    return fmt::format(
        "-- revision: {}\n-- down_revision: {}\n-- message: step {}\n-- migrate:upgrade\n{}\n"
        "-- migrate:downgrade\n{}\n",
        id_of(i), i == 0 ? "" : id_of(i - 1), i, upgrade_sql, downgrade_sql);
}

// Files served from memory; counts the reads.
class MemoryFiles final : public migrator::script::ScriptFiles {
public:
    std::vector<std::filesystem::path> list_sql_files(const std::filesystem::path& /*dir*/) const override {
        return {};
    }
    Expected<std::string> read(const std::filesystem::path& file) const override {
        ++reads;
        const auto found = texts.find(file.string());
        if (found == texts.end()) return migrator::fail(file.string() + ": cannot open: no such file");
        return found->second;
    }

    std::map<std::string, std::string> texts;
    mutable std::size_t reads = 0;
};

// A chain of `count` revisions, each script good both ways, and a plan through all of them.
struct Chain {
    Chain(std::size_t count, Direction direction) {
        std::vector<Script> headers;
        for (std::size_t i = 0; i < count; ++i) {
            Script header;
            header.revision = id_of(i);
            if (i > 0) header.down_revisions = {id_of(i - 1)};
            header.path = path_of(i);
            headers.push_back(header);
            files.texts[path_of(i)] = script_text(i, "CREATE TABLE t (id INTEGER);", "DROP TABLE t;");
        }
        map.emplace(RevisionMap::build(headers));
        for (std::size_t i = 0; i < count; ++i) {
            plan.steps.push_back(
                MigrationStep{map->find(id_of(i)), direction, {{VersionChangeKind::Update, "", ""}}});
        }
    }

    Expected<CheckedPlan> check(std::size_t kept_bytes = 0) const {
        return check_plan_scripts(plan, files, DialectKind::Sqlite, kept_bytes);
    }

    MemoryFiles files;
    std::optional<RevisionMap> map;
    Plan plan;
};

}  // namespace

TEST_CASE("the pre-flight reads each script of the plan once and passes good ones", "[runtime]") {
    Chain chain(4, Direction::Upgrade);
    // A stamp step has no script to check.
    chain.plan.steps.push_back(
        MigrationStep{nullptr, Direction::Upgrade, {{VersionChangeKind::Update, "", ""}}});
    const auto checked = chain.check();
    REQUIRE(checked);
    CHECK(checked->scripts == 4);
    CHECK(checked->prepared.empty());
    CHECK(chain.files.reads == 4);
}

TEST_CASE("the pre-flight keeps the prepared steps that fit in its budget, a prefix of the plan",
          "[runtime]") {
    Chain chain(5, Direction::Upgrade);
    const auto all = chain.check(std::size_t{1} << 30U);
    REQUIRE(all);
    REQUIRE(all->prepared.size() == 5);
    CHECK(all->prepared[3].statements.at(0).sql == "CREATE TABLE t (id INTEGER)");
    CHECK(all->prepared[3].subject == "migration 0003.sql (" + id_of(3) + ")");

    // Room for two steps and part of a third: the first two are kept, and nothing after the one that
    // did not fit, even where a later one would have.
    const std::size_t step_bytes = migrator::runtime::prepared_bytes(all->prepared[0]);
    const auto some = chain.check(step_bytes * 5 / 2);
    REQUIRE(some);
    CHECK(some->scripts == 5);
    REQUIRE(some->prepared.size() == 2);
    CHECK(some->prepared[1].subject == "migration 0001.sql (" + id_of(1) + ")");
}

TEST_CASE("the pre-flight keeps nothing when a script fails", "[runtime]") {
    Chain chain(3, Direction::Upgrade);
    chain.files.texts[path_of(2)] = script_text(2, "SELECT 'never closed;", "DROP TABLE t;");
    const auto checked = chain.check(std::size_t{1} << 30U);
    REQUIRE_FALSE(checked);
}

TEST_CASE("the pre-flight names every broken script in plan order, file and line", "[runtime]") {
    Chain chain(4, Direction::Upgrade);
    chain.files.texts[path_of(1)] = script_text(1, "SELECT 1;\n/* never closed", "DROP TABLE t;");
    chain.files.texts.erase(path_of(2));
    chain.files.texts[path_of(3)] = script_text(3, "SELECT 'never closed;", "DROP TABLE t;");
    const auto checked = chain.check();
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message ==
          "/versions/0001.sql:6: unterminated /* comment; /versions/0002.sql: cannot open: no such file; "
          "/versions/0003.sql:5: unterminated quoted string");
    // It goes on past the first failure, so that one run shows them all.
    CHECK(chain.files.reads == 4);
}

TEST_CASE("the pre-flight checks the section the plan runs", "[runtime]") {
    const auto direction = GENERATE(Direction::Upgrade, Direction::Downgrade);
    Chain chain(2, direction);
    chain.files.texts[path_of(0)] =
        script_text(0, "CREATE TABLE t (id INTEGER);", "DROP TABLE t; /* never closed");
    const auto checked = chain.check();
    if (direction == Direction::Upgrade) {
        CHECK(checked);
    } else {
        REQUIRE_FALSE(checked);
        CHECK(checked.error().message == "/versions/0000.sql:7: unterminated /* comment");
    }
}
