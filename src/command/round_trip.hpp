#pragma once
// The loop of `migrator test`: on an empty scratch database, each revision of a range is upgraded, its
// schema read, downgraded, the schema compared with the one before the upgrade, and upgraded again; then
// the whole range is downgraded and upgraded again in single runs, as `downgrade base` and `upgrade head`.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "autogenerate/inspector.hpp"
#include "config/database_url.hpp"
#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "render/test_report.hpp"
#include "runtime/migration_context.hpp"
#include "runtime/plan.hpp"
#include "script/revision_map.hpp"
#include "script/script_loader.hpp"

namespace migrator::command {

/// How the round trips run, besides the scratch connection.
struct RoundTripSettings {
    /// The version and history tables, the transaction scope, the interruption and where the scripts are
    /// read from; on_step_started is set by the loop (the steps are not announced).
    runtime::MigrationOptions migration;
    /// The tables compared; leave the history table out (command::without_history_table).
    autogenerate::TableFilter filter;
    /// include_schemas: the schemas besides the default one whose tables are compared too.
    std::vector<std::string> include_schemas;
    /// Told as each revision's round trip starts, with "Testing REV, message".
    std::function<void(const std::string& announcement)> on_revision_started;
    /// Opens SQLite in memory, where a schema is rebuilt from its catalog text to be inspected (db::connect).
    std::function<std::unique_ptr<db::Connection>(const config::DatabaseUrl&)> connect;
};

/// The plans of one test: the untested upgrade to START, the tested range, and its way back.
class RoundTrip {
public:
    /// `range` is "START:END", "END" (from base) or empty (base to heads), as `-r` takes it; throws Error
    /// on an unknown revision. The plans view `revisions`, which must outlive the object.
    RoundTrip(const script::RevisionMap& revisions, const std::string& range);

    /// How many revisions the range tests.
    [[nodiscard]] std::size_t size() const { return tested_.steps.size(); }
    /// The heads at the end of the range.
    [[nodiscard]] const std::vector<std::string>& end_heads() const { return tested_.heads_after; }

    /// Reads, parses and splits (by `dialect`'s rules) every section the test runs; the failure lists each
    /// broken script as `file:line: ...`.
    [[nodiscard]] std::optional<std::string> check_scripts(const script::ScriptFiles& files,
                                                           dialect::DialectKind dialect) const;

    /// Runs the test on `scratch`, an empty database, and fills in the report's counts and first failure.
    /// Throws Error when the database fails outside a migration (reading the catalog), util::Interrupted
    /// when a signal asked to stop.
    void run(db::Connection& scratch, const dialect::Dialect& dialect, const RoundTripSettings& settings,
             render::TestReport& report) const;

private:
    std::vector<runtime::Plan> to_start_;  // from base to each head of START, in turn; not tested
    runtime::Plan tested_;                 // from START to END
    runtime::Plan back_;                   // from END down to START, as `downgrade` plans it
};

/// The step that undoes `step`: its downgrade, with the version-table changes reversed.
runtime::MigrationStep inverse_step(const runtime::MigrationStep& step);

}  // namespace migrator::command
