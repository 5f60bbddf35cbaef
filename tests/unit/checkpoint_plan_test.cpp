#include "runtime/checkpoint_plan.hpp"

#include <catch2/catch.hpp>

#include "fake_connection.hpp"
#include "graph_specs.hpp"
#include "runtime/planner.hpp"
#include "util/error.hpp"

using migrator::Error;
using migrator::dialect::dialect_for;
using migrator::dialect::DialectKind;
using migrator::runtime::apply_checkpoint;
using migrator::runtime::choose_checkpoint;
using migrator::runtime::plan_upgrade;
using migrator::runtime::VersionTable;
using migrator::testing::FakeConnection;
using test::make;
using Names = std::vector<std::string>;

namespace {

Names ids_of(const migrator::runtime::Plan& plan) {
    Names ids;
    for (const auto& step : plan.steps) ids.emplace_back(step.revision->id());
    return ids;
}

}  // namespace

TEST_CASE("the checkpoint that skips the most steps is chosen, the rest starts after it",
          "[checkpoint_plan]") {
    const auto map = make({{"a1", {}}, {"b2", {"a1"}}, {"c3", {"b2"}}, {"d4", {"c3"}}});
    const auto full = plan_upgrade(map, {}, "head");
    const auto choice = choose_checkpoint(map, full, "head", {"a1", "c3"}, "checkpoints");
    REQUIRE(choice);
    CHECK(choice->revision == "c3");
    CHECK(choice->skipped_steps == 3);
    CHECK(ids_of(choice->rest) == Names{"d4"});
    CHECK(choice->rest.heads_after == Names{"d4"});

    // At the checkpoint itself nothing is left to replay.
    const auto at = choose_checkpoint(map, plan_upgrade(map, {}, "c3"), "c3", {"c3"}, "checkpoints");
    REQUIRE(at);
    CHECK(at->rest.steps.empty());
    // A target before every checkpoint replays the scripts.
    CHECK_FALSE(choose_checkpoint(map, plan_upgrade(map, {}, "b2"), "b2", {"c3"}, "checkpoints"));
    // A relative target counts from base: +2 is b2, before the checkpoint; +4 passes it.
    CHECK_FALSE(choose_checkpoint(map, plan_upgrade(map, {}, "+2"), "+2", {"c3"}, "checkpoints"));
    const auto relative = choose_checkpoint(map, plan_upgrade(map, {}, "+4"), "+4", {"c3"}, "checkpoints");
    REQUIRE(relative);
    CHECK(ids_of(relative->rest) == Names{"d4"});
}

TEST_CASE("a checkpoint on another branch, or one whose dependencies the target lacks, is not used",
          "[checkpoint_plan]") {
    // a1 -> b2 (branch x), a1 -> c3 (branch y); m4 merges both.
    const auto map = make({{"a1", {}}, {"b2", {"a1"}}, {"c3", {"a1"}}, {"m4", {"b2", "c3"}}});
    CHECK_FALSE(choose_checkpoint(map, plan_upgrade(map, {}, "c3"), "c3", {"b2"}, "checkpoints"));
    const auto merged = choose_checkpoint(map, plan_upgrade(map, {}, "m4"), "m4", {"b2"}, "checkpoints");
    REQUIRE(merged);
    CHECK(ids_of(merged->rest) == Names{"c3", "m4"});

    // d4 depends on c3 without descending from it: a checkpoint at d4 carries c3 too.
    const auto deps = make({{"a1", {}}, {"b2", {"a1"}}, {"c3", {}}, {"d4", {"b2"}, {"c3"}}});
    CHECK_FALSE(choose_checkpoint(deps, plan_upgrade(deps, {}, "b2"), "b2", {"d4"}, "checkpoints"));
    const auto with_dependency =
        choose_checkpoint(deps, plan_upgrade(deps, {}, "d4"), "d4", {"d4"}, "checkpoints");
    REQUIRE(with_dependency);
    CHECK(with_dependency->skipped_steps == 4);
}

TEST_CASE("a checkpoint for a revision no script defines is an error naming the directory",
          "[checkpoint_plan]") {
    const auto map = make({{"a1", {}}});
    CHECK_THROWS_WITH(
        choose_checkpoint(map, plan_upgrade(map, {}, "head"), "head", {"ff"}, "migrations/checkpoints"),
        Catch::Contains("migrations/checkpoints: checkpoint for revision 'ff'"));
}

TEST_CASE("a checkpoint runs in one transaction with the version table and its revision",
          "[checkpoint_plan]") {
    FakeConnection connection;
    const auto& dialect = dialect_for(DialectKind::Sqlite);
    VersionTable versions(connection, dialect, "", "migrator_version");
    apply_checkpoint(connection, dialect, versions, {{"CREATE TABLE a (id INTEGER)", 7}}, "c3", "c.sql");
    REQUIRE(connection.log.size() >= 4);
    CHECK(connection.log.front() == dialect.begin_transaction());
    CHECK(connection.log[1] == "CREATE TABLE a (id INTEGER)");
    CHECK(connection.log.back() == dialect.commit_transaction());
    CHECK(connection.log[connection.log.size() - 2].find("'c3'") != std::string::npos);

    FakeConnection failing;
    failing.fail_on = "CREATE TABLE b";
    failing.failure_message = "syntax error";
    VersionTable other(failing, dialect, "", "migrator_version");
    CHECK_THROWS_WITH(
        apply_checkpoint(failing, dialect, other,
                         {{"CREATE TABLE a (id INTEGER)", 7}, {"CREATE TABLE b (", 9}}, "c3", "c.sql"),
        Catch::StartsWith("checkpoint c.sql:9: syntax error"));
    CHECK(failing.log.back() == dialect.rollback_transaction());
}

TEST_CASE("a PostgreSQL checkpoint larger than the server's lock table is refused before it starts",
          "[checkpoint_plan]") {
    const auto& dialect = dialect_for(DialectKind::Postgresql);
    const std::vector<migrator::script::Statement> statements{{"CREATE TABLE a (id INTEGER)", 3},
                                                              {"  create index i on a (id)", 4},
                                                              {"COMMENT ON TABLE a IS 'x'", 5}};

    FakeConnection small;
    small.answers["max_locks_per_transaction"] = {std::string("1")};
    VersionTable versions(small, dialect, "", "migrator_version");
    CHECK_THROWS_WITH(apply_checkpoint(small, dialect, versions, statements, "c3", "c.sql"),
                      Catch::StartsWith("checkpoint c.sql: creates 2 objects in one transaction") &&
                          Catch::Contains("max_locks_per_transaction"));
    for (const auto& entry : small.log) CHECK(entry.find("CREATE") == std::string::npos);

    FakeConnection enough;
    enough.answers["max_locks_per_transaction"] = {std::string("2")};
    VersionTable other(enough, dialect, "", "migrator_version");
    apply_checkpoint(enough, dialect, other, statements, "c3", "c.sql");
    CHECK(enough.log.back() == dialect.commit_transaction());

    FakeConnection full;
    full.answers["max_locks_per_transaction"] = {std::string("64")};
    full.fail_on = "create index";
    full.failure_message =
        "ERROR:  out of shared memory\nHINT:  You might need to increase max_locks_per_transaction.";
    VersionTable third(full, dialect, "", "migrator_version");
    CHECK_THROWS_WITH(apply_checkpoint(full, dialect, third, statements, "c3", "c.sql"),
                      Catch::StartsWith("checkpoint c.sql:4: ERROR:  out of shared memory (the server's lock "
                                        "table is full: raise max_locks_per_transaction"));
}
