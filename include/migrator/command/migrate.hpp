#pragma once
// What upgrade, downgrade and stamp share: where the starting heads come from (the database,
// or the START of `START:END` with --sql) and running the plan online or printing it offline.

#include <chrono>
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

/// Whether `--dry-run` was given: read the live database, print what would run, change nothing.
enum class DryRun { Off, On };

/// Whether applied scripts' checksums are checked first (`--no-verify` and `verify: false` turn it off).
enum class VerifyScripts { On, Off };

/// Options of `upgrade` and `downgrade`.
struct MigrateOptions {
    std::string target;
    SqlOutput sql = SqlOutput::Off;
    std::string tag;
    DryRun dry_run = DryRun::Off;
    VerifyScripts verify = VerifyScripts::On;
};

/// What one step did: ran a script's section, moved the version table (a stamp) or ran a checkpoint.
enum class StepKind { Upgrade, Downgrade, Stamp, Checkpoint };

/// A step of a run, once committed (offline or in a dry run: once printed).
struct StepReport {
    StepKind kind = StepKind::Upgrade;
    std::string revision;  // a stamp: the revision it moves to (from, when it only deletes a row)
    std::string message;   // the script's message; empty for a stamp
    std::chrono::nanoseconds duration{0};
};

/// What upgrade, downgrade or stamp did.
struct MigrateReport {
    std::vector<std::string> heads_before;
    std::vector<std::string> heads_after;
    std::vector<StepReport> steps;  // in the order they ran
};

/// Adds TARGET, --sql, --tag, --dry-run and --no-verify to an upgrade or downgrade subcommand.
void add_migrate_options(CLI::App& command, MigrateOptions& options, const std::string& target_help);

/// Whether offline mode insists on a `START:END` range (downgrade does: it cannot start from base).
enum class RangeRequirement { Optional, Required };

/// Where a plan starts and where it goes.
struct PlanRequest {
    std::vector<std::string> current_heads;
    std::string target;
    runtime::Mode mode = runtime::Mode::Online;
    DryRun dry_run = DryRun::Off;
};

/// Online: the database's heads. Offline: START of `START:END` (base when absent). A range
/// without --sql, or a downgrade with --sql but no range, is an Error.
PlanRequest make_plan_request(Workspace& workspace, const std::string& target, SqlOutput sql,
                              const char* command_name, RangeRequirement range_requirement,
                              DryRun dry_run = DryRun::Off);

/// Before a plan that changes something: refuses (Error listing every script) when the upgrade section of
/// an applied revision differs from its recorded checksum, and warns about edited downgrade sections.
void verify_applied_scripts(Workspace& workspace, const PlanRequest& request, const runtime::Plan& plan,
                            VerifyScripts verify);

/// Runs the plan (creating the version and history tables first) or prints it as a SQL script on stdout;
/// a dry run prints it as it would run from the live database, without the lock. Each completed step is
/// passed to the workspace's step observer too.
MigrateReport execute_plan(Workspace& workspace, const runtime::Plan& plan, runtime::Mode mode,
                           const std::string& tag, DryRun dry_run = DryRun::Off);

/// Who runs migrator, for the history table: MIGRATOR_ACTOR, else user@host.
std::string history_actor();

}  // namespace migrator::command
