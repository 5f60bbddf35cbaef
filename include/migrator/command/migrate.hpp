#pragma once
// What upgrade, downgrade and stamp share: where the starting heads come from (the database,
// or the START of `START:END` with --sql) and running the plan online or printing it offline.

#include <string>
#include <vector>

#include "migrator/command/workspace.hpp"
#include "migrator/runtime/plan.hpp"
#include "migrator/runtime/version_table.hpp"

namespace CLI {
class App;
}

namespace migrator::command {

/// Whether `--sql` was given.
enum class SqlOutput { Off, On };

/// Options of `upgrade` and `downgrade`.
struct MigrateOptions {
    std::string target;
    SqlOutput sql = SqlOutput::Off;
    std::string tag;
};

/// Adds TARGET, --sql and --tag to an upgrade or downgrade subcommand.
void add_migrate_options(CLI::App& command, MigrateOptions& options, const std::string& target_help);

/// Whether offline mode insists on a `START:END` range (downgrade does: it cannot start from base).
enum class RangeRequirement { Optional, Required };

/// Where a plan starts and where it goes.
struct PlanRequest {
    std::vector<std::string> current_heads;
    std::string target;
    runtime::Mode mode = runtime::Mode::Online;
};

/// Online: the database's heads. Offline: START of `START:END` (base when absent). A range
/// without --sql, or a downgrade with --sql but no range, is an Error.
PlanRequest make_plan_request(Workspace& workspace, const std::string& target, SqlOutput sql,
                              const char* command_name, RangeRequirement range_requirement);

/// Runs the plan (creating the version table first) or prints it as a SQL script on stdout.
void execute_plan(Workspace& workspace, const runtime::Plan& plan, runtime::Mode mode,
                  const std::string& tag);

}  // namespace migrator::command
