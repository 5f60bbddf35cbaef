#pragma once
// Executes a Plan: each step's SQL, then its version-table changes, framed by transactions.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "runtime/plan.hpp"
#include "runtime/prepared_step.hpp"
#include "runtime/version_table.hpp"

namespace migrator::script {
class ScriptFiles;
}

namespace migrator::util {
class Interruption;
}

namespace migrator::runtime {

/// How much one transaction covers (config `transaction_per_migration`).
enum class TransactionScope { PerMigration, WholeCommand };

/// How a plan is run.
struct MigrationOptions {
    TransactionScope transaction_scope = TransactionScope::PerMigration;
    Mode mode = Mode::Online;
    std::string version_table_schema;
    std::string version_table = "migrator_version";
    std::string history_table = "migrator_history";  // in version_table_schema
    std::string actor;                               // who runs it, for the history table
    /// Where each migration's SQL is read from when it runs; null means the disk.
    const script::ScriptFiles* script_files = nullptr;
    /// Checked between statements and steps (online); null when nothing can ask the run to stop.
    util::Interruption* interruption = nullptr;
    /// Told as each step starts, with its "Running ..." line; when set, it shows that line instead of the
    /// context logging it (the CLI numbers the steps).
    std::function<void(const std::string& announcement)> on_step_started;
    /// The migration lock, asked before each step and each commit whether it is still held (a lease can be
    /// taken over); null when the run holds none (offline, and the scratch databases of squash and test).
    db::Lock* lock = nullptr;
};

/// Told about each step once its changes are committed (offline: once its COMMIT is printed), in plan order,
/// with the time from its start to its version-table change (the COMMIT it shares with later steps excluded).
using StepCompleted = std::function<void(const MigrationStep& step, std::chrono::nanoseconds duration)>;

/// Runs plans through one connection; offline, the connection is an OfflineConnection that prints them.
class MigrationContext {
public:
    /// `connection` and `dialect` must outlive the context.
    MigrationContext(db::Connection& connection, const dialect::Dialect& dialect, MigrationOptions options);

    /// Runs every step in order and returns how many completed. On failure, rolls back the open
    /// transaction and throws Error naming the script, revision, line and statement. When the
    /// interruption is requested, rolls back the current step and throws util::Interrupted saying which
    /// revisions the version table holds.
    std::size_t run(const Plan& plan, const StepCompleted& on_step_completed = {});
    /// The same, taking the plan's first steps as the pre-flight prepared them rather than reading their
    /// scripts again.
    std::size_t run(const Plan& plan, PreparedSteps prepared, const StepCompleted& on_step_completed = {});

private:
    db::Connection& connection_;
    const dialect::Dialect& dialect_;
    MigrationOptions options_;
};

}  // namespace migrator::runtime
