#include "runtime/step_preparer.hpp"

#include <fmt/format.h>

#include <sched.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "script/revision_map.hpp"
#include "script/script_loader.hpp"
#include "util/expected.hpp"

using migrator::Expected;
using migrator::runtime::Direction;
using migrator::runtime::MigrationStep;
using migrator::runtime::Plan;
using migrator::runtime::Preparation;
using migrator::runtime::PreparedStep;
using migrator::runtime::StepPreparer;
using migrator::runtime::VersionChangeKind;
using migrator::script::RevisionMap;
using migrator::script::Script;
using migrator::script::ScriptSequence;
using migrator::script::TransactionMode;

namespace {

std::string id_of(std::size_t i) {
    return fmt::format("{:012x}", i + 1);
}

std::string script_text(std::size_t i, const std::string& upgrade_marker = "-- migrate:upgrade",
                        const std::string& upgrade_sql = "") {
    const std::string down = i == 0 ? "" : id_of(i - 1);
    const std::string sql =
        upgrade_sql.empty() ? fmt::format("CREATE TABLE t{} (id INTEGER);", i) : upgrade_sql;
    return fmt::format(
        "-- revision: {}\n-- down_revision: {}\n-- message: step {}\n{}\n{}\n-- migrate:downgrade\n"
        "DROP TABLE t{};\n",
        id_of(i), down, i, upgrade_marker, sql, i);
}

// The scripts of a chain, served from memory in order; counts the reads and can report one of them.
class ListedScripts final : public ScriptSequence {
public:
    struct Shared {
        std::vector<Expected<std::string>> texts;
        std::atomic<std::size_t> asked = 0;
        std::optional<std::size_t> throw_at;
        std::optional<std::size_t> report_at;
        std::promise<void> reported;
        std::atomic<int> policy = -1;  // the scheduling policy of the thread that read the last script
    };

    explicit ListedScripts(Shared& shared) : shared_(shared) {}

    Expected<std::string> next() override {
        const std::size_t i = shared_.asked++;
        shared_.policy = sched_getscheduler(0);
        if (shared_.report_at == i) shared_.reported.set_value();
        if (shared_.throw_at == i) throw std::runtime_error("disk on fire");
        return shared_.texts.at(i);
    }

private:
    Shared& shared_;
};

// A chain of `count` revisions and the plan that upgrades through all of them.
struct Chain {
    explicit Chain(std::size_t count) {
        std::vector<Script> headers;
        for (std::size_t i = 0; i < count; ++i) {
            ids.push_back(id_of(i));
            Script header;
            header.revision = id_of(i);
            if (i > 0) header.down_revisions = {id_of(i - 1)};
            header.message = fmt::format("step {}", i);
            header.path = fmt::format("/versions/{:04}_{}.sql", i, id_of(i));
            headers.push_back(header);
            scripts.texts.emplace_back(script_text(i));
        }
        map.emplace(RevisionMap::build(headers));
        for (std::size_t i = 0; i < count; ++i) {
            const auto kind = i == 0 ? VersionChangeKind::Insert : VersionChangeKind::Update;
            plan.steps.push_back(MigrationStep{map->find(id_of(i)), Direction::Upgrade, {{kind, "", ""}}});
        }
    }

    StepPreparer preparer(Preparation preparation, migrator::runtime::PreparedSteps prepared = {}) {
        return {plan, std::move(prepared), std::make_unique<ListedScripts>(scripts),
                migrator::dialect::DialectKind::Sqlite, preparation};
    }

    std::vector<std::string> ids;  // what version changes view
    ListedScripts::Shared scripts;
    std::optional<RevisionMap> map;
    Plan plan;
};

std::string subject_of(std::size_t i) {
    return fmt::format("migration {:04}_{}.sql ({})", i, id_of(i), id_of(i));
}

}  // namespace

TEST_CASE("steps come out in plan order with their statements, transaction mode and log line", "[runtime]") {
    const auto preparation = GENERATE(Preparation::Inline, Preparation::Ahead);
    Chain chain(3);
    chain.scripts.texts[1] = script_text(1, "-- migrate:upgrade transaction=false", "VACUUM;\nSELECT 1;");
    chain.plan.steps.push_back(MigrationStep{
        nullptr, Direction::Upgrade, {{VersionChangeKind::Update, chain.ids[2], chain.ids[0]}}});
    StepPreparer preparer = chain.preparer(preparation);

    const PreparedStep first = preparer.next();
    CHECK(first.subject == subject_of(0));
    CHECK(first.announcement == "Running upgrade  -> " + id_of(0) + ", step 0");
    REQUIRE(first.statements.size() == 1);
    CHECK(first.statements[0].sql == "CREATE TABLE t0 (id INTEGER)");
    CHECK(first.statements[0].line == 5);
    CHECK(first.transaction == TransactionMode::Transactional);
    CHECK_FALSE(first.failure);

    const PreparedStep second = preparer.next();
    CHECK(second.announcement == "Running upgrade " + id_of(0) + " -> " + id_of(1) + ", step 1");
    REQUIRE(second.statements.size() == 2);
    CHECK(second.statements[1].sql == "SELECT 1");
    CHECK(second.statements[1].line == 6);
    CHECK(second.transaction == TransactionMode::NonTransactional);

    CHECK(preparer.next().subject == subject_of(2));
    const PreparedStep stamp = preparer.next();
    CHECK(stamp.subject == "stamp_revision " + id_of(2) + " -> " + id_of(0));
    CHECK(stamp.statements.empty());
    CHECK(chain.scripts.asked == 3);
}

TEST_CASE("a script that cannot be read or parsed fails its own step, and the others still run",
          "[runtime]") {
    const auto preparation = GENERATE(Preparation::Inline, Preparation::Ahead);
    Chain chain(4);
    chain.scripts.texts[1] = migrator::fail("/versions/0001.sql: cannot open: no such file");
    chain.scripts.texts[2] = script_text(3);  // declares the next revision instead
    StepPreparer preparer = chain.preparer(preparation);

    CHECK_FALSE(preparer.next().failure);
    CHECK(preparer.next().failure == "/versions/0001.sql: cannot open: no such file");
    const PreparedStep third = preparer.next();
    REQUIRE(third.failure);
    CHECK_THAT(*third.failure,
               Catch::Contains("now declares revision " + id_of(3) + " instead of " + id_of(2)));
    CHECK(third.subject == subject_of(2));
    CHECK_FALSE(preparer.next().failure);
}

TEST_CASE("what preparing a step throws is rethrown at that step", "[runtime]") {
    const auto preparation = GENERATE(Preparation::Inline, Preparation::Ahead);
    Chain chain(4);
    chain.scripts.throw_at = 2;
    StepPreparer preparer = chain.preparer(preparation);
    CHECK(preparer.next().subject == subject_of(0));
    CHECK(preparer.next().subject == subject_of(1));
    CHECK_THROWS_WITH(preparer.next(), "disk on fire");
    CHECK(preparer.next().subject == subject_of(3));
}

TEST_CASE("ahead, a long plan comes out whole and in order", "[runtime]") {
    Chain chain(500);
    StepPreparer preparer = chain.preparer(Preparation::Ahead);
    for (std::size_t i = 0; i < chain.plan.steps.size(); ++i) {
        const PreparedStep step = preparer.next();
        REQUIRE(step.subject == subject_of(i));
        REQUIRE(step.statements.at(0).sql == fmt::format("CREATE TABLE t{} (id INTEGER)", i));
    }
    CHECK(chain.scripts.asked == 500);
}

TEST_CASE("ahead, scripts are read before they are asked for, up to a limit, and stopping is prompt",
          "[runtime]") {
    Chain chain(200);
    // The worker fills a queue of 32 and then holds one more step in hand. Whether the one step taken
    // left the queue before or after it filled, the 33rd script is read and the 35th never is.
    chain.scripts.report_at = 32;
    auto reported = chain.scripts.reported.get_future();
    {
        StepPreparer preparer = chain.preparer(Preparation::Ahead);
        CHECK(preparer.next().subject == subject_of(0));
        // Bounds a broken worker's wait; a working one reports in microseconds.
        REQUIRE(reported.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    }
    CHECK(chain.scripts.asked >= 33);
    CHECK(chain.scripts.asked <= 34);
}

TEST_CASE("inline, each script is read when its step is asked for", "[runtime]") {
    Chain chain(5);
    StepPreparer preparer = chain.preparer(Preparation::Inline);
    CHECK(chain.scripts.asked == 0);
    preparer.next();
    preparer.next();
    CHECK(chain.scripts.asked == 2);
}

TEST_CASE("ahead, the worker runs in the caller's scheduling class, so a busy machine cannot starve it",
          "[runtime]") {
    Chain chain(3);
    StepPreparer preparer = chain.preparer(Preparation::Ahead);
    for (int i = 0; i < 3; ++i) preparer.next();
    CHECK(chain.scripts.policy == sched_getscheduler(0));
    CHECK(chain.scripts.policy != SCHED_IDLE);
}

TEST_CASE("steps prepared already come first, and only the scripts after them are read", "[runtime]") {
    const auto preparation = GENERATE(Preparation::Inline, Preparation::Ahead);
    Chain chain(4);
    migrator::runtime::PreparedSteps prepared(2);
    prepared[0].subject = "kept 0";
    prepared[1].subject = "kept 1";
    // The sequence yields the scripts from the third step on.
    chain.scripts.texts.erase(chain.scripts.texts.begin(), chain.scripts.texts.begin() + 2);
    StepPreparer preparer = chain.preparer(preparation, std::move(prepared));
    CHECK(preparer.next().subject == "kept 0");
    CHECK(preparer.next().subject == "kept 1");
    CHECK(preparer.next().subject == subject_of(2));
    CHECK(preparer.next().subject == subject_of(3));
    CHECK(chain.scripts.asked == 2);
}

TEST_CASE("a plan prepared whole reads no script", "[runtime]") {
    Chain chain(2);
    migrator::runtime::PreparedSteps prepared(2);
    chain.scripts.texts.clear();
    StepPreparer preparer = chain.preparer(Preparation::Ahead, std::move(prepared));
    preparer.next();
    preparer.next();
    CHECK(chain.scripts.asked == 0);
}
