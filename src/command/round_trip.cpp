#include "command/round_trip.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "autogenerate/compare.hpp"
#include "autogenerate/unsupported_objects.hpp"
#include "config/database_url.hpp"
#include "runtime/planner.hpp"
#include "runtime/preflight.hpp"
#include "util/error.hpp"
#include "util/interruption.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace migrator::command {

namespace {

using render::TestCheck;

// What the test compares: the tables the inspector reads, and the names of the objects it does not
// (views, triggers...), so that a downgrade that forgets a view is caught too. On SQLite the snapshot is
// the catalog's text instead, which describes the whole schema and is read in one cheap query: reading
// every table at every revision would make a long chain quadratic. Only when two catalogs differ are
// they inspected, the earlier one rebuilt from its text in memory.
struct Snapshot {
    schema::Schema tables;
    std::vector<std::string> others;
    std::vector<std::string> catalog;         // SQLite: "type name: sql" per entry, sorted
    std::vector<std::string> creation_order;  // SQLite: each entry's CREATE statement, as created
};

constexpr std::string_view sqlite_catalog_query =
    "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE "
    "'\\' ORDER BY rowid";

std::vector<std::string> missing_from(const std::vector<std::string>& sorted,
                                      const std::vector<std::string>& other_sorted) {
    std::vector<std::string> out;
    std::set_difference(sorted.begin(), sorted.end(), other_sorted.begin(), other_sorted.end(),
                        std::back_inserter(out));
    return out;
}

runtime::Plan plan_of(const runtime::MigrationStep& step) {
    runtime::Plan plan;
    plan.steps.push_back(step);
    return plan;
}

// One run of the test on one connection: the first failure ends it.
class Runner {
public:
    Runner(db::Connection& scratch, const dialect::Dialect& dialect, const RoundTripSettings& settings,
           render::TestReport& report)
        : scratch_(scratch), dialect_(dialect), settings_(settings), report_(report) {
        options_ = settings.migration;
        // One test runs thousands of steps; their "Running ..." lines are for --debug.
        options_.on_step_started = [](const std::string& announcement) { log::debug("{}", announcement); };
    }

    Snapshot read() {
        stop_if_interrupted();
        Snapshot snapshot;
        if (dialect_.kind() == dialect::DialectKind::Sqlite) {
            const auto rows = scratch_.query_rows(sqlite_catalog_query);
            snapshot.catalog.reserve(rows.size());
            snapshot.creation_order.reserve(rows.size());
            for (const auto& row : rows) {
                snapshot.catalog.push_back(fmt::format("{} {}: {}", row.at(0).value_or(""),
                                                       row.at(1).value_or(""), row.at(2).value_or("")));
                snapshot.creation_order.push_back(row.at(2).value_or(""));
            }
            std::sort(snapshot.catalog.begin(), snapshot.catalog.end());
        } else {
            inspect(scratch_, snapshot);
        }
        stop_if_interrupted();
        return snapshot;
    }

    void inspect(db::Connection& connection, Snapshot& snapshot) const {
        snapshot.tables =
            autogenerate::inspect_schema(connection, dialect_, "", options_.version_table, settings_.filter);
        snapshot.others = autogenerate::unsupported_objects(connection, dialect_);
        const auto schema_names =
            autogenerate::schemas_matching(connection, dialect_, settings_.include_schemas);
        auto others = autogenerate::inspect_other_schemas(
            connection, dialect_, schema_names, {options_.version_table_schema, options_.version_table},
            settings_.filter);
        std::move(others.tables.begin(), others.tables.end(), std::back_inserter(snapshot.tables.tables));
        for (const auto& object : others.not_compared)
            snapshot.others.push_back(object.kind + " " + object.name);
        std::sort(snapshot.others.begin(), snapshot.others.end());
    }

    // `actual` is what the scratch database holds now; on SQLite, both are inspected only when their
    // catalogs differ, the expected one rebuilt in memory from its CREATE statements.
    std::pair<Snapshot, Snapshot> inspected(const Snapshot& actual, const Snapshot& expected) const {
        if (dialect_.kind() != dialect::DialectKind::Sqlite) return {actual, expected};
        Snapshot now;
        inspect(scratch_, now);
        const auto rebuilt = settings_.connect(config::parse_database_url("sqlite://").value_or_throw());
        for (const auto& statement : expected.creation_order) rebuilt->execute(statement);
        Snapshot before;
        inspect(*rebuilt, before);
        return {std::move(now), std::move(before)};
    }

    // Runs a plan; false (and the failure recorded) when a statement failed.
    bool attempt(const runtime::Plan& plan, TestCheck check, const script::Revision* revision,
                 std::string_view what) {
        stop_if_interrupted();
        try {
            runtime::MigrationContext(scratch_, dialect_, options_).run(plan);
            return true;
        } catch (const Error& error) {
            // A statement the signal cancelled fails like any other; the signal is the news.
            stop_if_interrupted();
            fail(check, revision, fmt::format("{}: {}", what, error.message()));
            return false;
        }
    }

    // False (and the failure recorded) when `actual` differs from `expected`.
    bool same(const Snapshot& actual_snapshot, const Snapshot& expected_snapshot, TestCheck check,
              const script::Revision* revision, std::string_view what) {
        if (dialect_.kind() == dialect::DialectKind::Sqlite &&
            actual_snapshot.catalog == expected_snapshot.catalog)
            return true;
        const auto [actual, expected] = inspected(actual_snapshot, expected_snapshot);
        auto operations = autogenerate::compare_schemas(actual.tables, expected.tables, dialect_);
        const auto left = missing_from(actual.others, expected.others);
        const auto lost = missing_from(expected.others, actual.others);
        if (operations.empty() && left.empty() && lost.empty()) return true;
        std::string message(what);
        if (!left.empty()) message += fmt::format("; it leaves {} behind", util::join(left));
        if (!lost.empty()) message += fmt::format("; it loses {}", util::join(lost));
        fail(check, revision, message);
        report_.failure->differences = std::move(operations);
        return false;
    }

    void fail(TestCheck check, const script::Revision* revision, std::string message) {
        render::TestFailure failure;
        failure.check = check;
        if (revision != nullptr) {
            failure.revision = std::string(revision->id());
            failure.path = revision->path();
        }
        failure.message = std::move(message);
        report_.failure = std::move(failure);
    }

    void stop_if_interrupted() const {
        const auto* interruption = options_.interruption;
        if (interruption != nullptr && interruption->requested())
            throw util::Interrupted("interrupted: migrator test stopped", interruption->exit_code());
    }

private:
    db::Connection& scratch_;
    const dialect::Dialect& dialect_;
    const RoundTripSettings& settings_;
    render::TestReport& report_;
    runtime::MigrationOptions options_;
};

// "REV (path)" for messages.
std::string named(const script::Revision& revision) {
    return fmt::format("{} ({})", revision.id(), revision.path());
}

}  // namespace

runtime::MigrationStep inverse_step(const runtime::MigrationStep& step) {
    runtime::MigrationStep back;
    back.revision = step.revision;
    back.direction = step.direction == runtime::Direction::Upgrade ? runtime::Direction::Downgrade
                                                                   : runtime::Direction::Upgrade;
    back.version_changes.reserve(step.version_changes.size());
    for (auto change = step.version_changes.rbegin(); change != step.version_changes.rend(); ++change) {
        switch (change->kind) {
            case runtime::VersionChangeKind::Insert:
                back.version_changes.push_back({runtime::VersionChangeKind::Delete, change->to, {}});
                break;
            case runtime::VersionChangeKind::Delete:
                back.version_changes.push_back({runtime::VersionChangeKind::Insert, {}, change->from});
                break;
            case runtime::VersionChangeKind::Update:
                back.version_changes.push_back(
                    {runtime::VersionChangeKind::Update, change->to, change->from});
                break;
            case runtime::VersionChangeKind::Purge:
                throw Error("a stamp --purge step has no inverse");
        }
    }
    return back;
}

RoundTrip::RoundTrip(const script::RevisionMap& revisions, const std::string& range) {
    runtime::OfflineRange bounds;
    bounds.end = "heads";
    // "START:" runs to the heads, as `history -r START:` lists them.
    if (!range.empty()) {
        bounds = runtime::resolve_offline_range(revisions, range.ends_with(':') ? range + "heads" : range);
    }
    std::vector<std::string> heads;
    for (const auto& start : bounds.start_heads) {
        to_start_.push_back(runtime::plan_upgrade(revisions, heads, start));
        heads = to_start_.back().heads_after;
    }
    tested_ = runtime::plan_upgrade(revisions, bounds.start_heads, bounds.end);
    back_ = runtime::plan_downgrade(
        revisions, tested_.heads_after,
        bounds.start_heads.empty() ? std::string("base") : bounds.start_heads.front());
}

std::optional<std::string> RoundTrip::check_scripts(const script::ScriptFiles& files,
                                                    dialect::DialectKind dialect) const {
    std::vector<std::string> failures;
    for (const auto* plan : {&tested_, &back_}) {
        auto checked = runtime::check_plan_scripts(*plan, files, dialect, 0);
        if (!checked) failures.push_back(checked.error().message);
    }
    for (const auto& plan : to_start_) {
        auto checked = runtime::check_plan_scripts(plan, files, dialect, 0);
        if (!checked) failures.push_back(checked.error().message);
    }
    if (failures.empty()) return std::nullopt;
    return util::join(failures, "; ");
}

void RoundTrip::run(db::Connection& scratch, const dialect::Dialect& dialect,
                    const RoundTripSettings& settings, render::TestReport& report) const {
    Runner runner(scratch, dialect, settings, report);
    report.revisions = tested_.steps.size();
    report.heads = tested_.heads_after;
    for (const auto& plan : to_start_) {
        if (!runner.attempt(plan, TestCheck::Upgrade, nullptr, "upgrade to the start of the range")) return;
    }
    const auto start = runner.read();
    auto before = start;
    for (const auto& step : tested_.steps) {
        const auto& revision = *step.revision;
        if (settings.on_revision_started)
            settings.on_revision_started(fmt::format("Testing {}, {}", revision.id(), revision.message()));
        if (!runner.attempt(plan_of(step), TestCheck::Upgrade, &revision, "upgrade")) return;
        auto after = runner.read();
        if (!runner.attempt(plan_of(inverse_step(step)), TestCheck::Downgrade, &revision, "downgrade"))
            return;
        if (!runner.same(
                runner.read(), before, TestCheck::SchemaRestored, &revision,
                fmt::format("the downgrade of {} does not restore the schema its upgrade started from",
                            named(revision))))
            return;
        if (!runner.attempt(plan_of(step), TestCheck::Reupgrade, &revision, "upgrade after the downgrade"))
            return;
        before = std::move(after);
        ++report.round_trips;
    }
    // The whole range as users run it: one downgrade to the start, then one upgrade to the end.
    if (!runner.attempt(back_, TestCheck::EndToEnd, nullptr, "downgrade of the whole range in one run"))
        return;
    if (!runner.same(runner.read(), start, TestCheck::EndToEnd, nullptr,
                     "downgrading the whole range in one run does not restore the schema at its start"))
        return;
    if (!runner.attempt(tested_, TestCheck::EndToEnd, nullptr, "upgrade of the whole range in one run"))
        return;
    if (!runner.same(runner.read(), before, TestCheck::EndToEnd, nullptr,
                     "upgrading the whole range in one run gives another schema than one revision at a time"))
        return;
    report.end_to_end = true;
}

}  // namespace migrator::command
