#pragma once
// What upgrade, downgrade and stamp share: where the starting heads come from (the database,
// or the START of `START:END` with --sql) and running the plan online or printing it offline.

#include <string>
#include <vector>

#include "command/workspace.hpp"
#include "render/migration_report.hpp"
#include "runtime/plan.hpp"
#include "runtime/version_table.hpp"

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
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Adds TARGET, --sql, --tag, --dry-run, --no-verify and --format to an upgrade or downgrade subcommand.
void add_migrate_options(CLI::App& command, MigrateOptions& options, const std::string& target_help,
                         Workspace& workspace);

/// What the CLI keeps of the completed steps: JSON output lists them, text output has printed them.
inline StepRecords step_records_for(render::OutputFormat format) {
    return format == render::OutputFormat::Json ? StepRecords::Kept : StepRecords::Dropped;
}

/// Refuses --format json with --sql or --dry-run, whose stdout is SQL.
void check_json_output(render::OutputFormat format, SqlOutput sql, DryRun dry_run);

/// Prints what a command that moves the version table did: JSON on stdout, or nothing (text mode said
/// it on stderr as it ran).
void print_report(Workspace& workspace, const MigrationResult& result, const char* command,
                  render::OutputFormat format);

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
/// a dry run prints it as it would run from the live database, without the lock. Online, the steps show
/// progress on stderr, each committed step is passed to the workspace's step observer, and the result
/// lists them; offline and in a dry run nothing is applied, so the result lists no step.
MigrationResult execute_plan(Workspace& workspace, const runtime::Plan& plan, runtime::Mode mode,
                             const std::string& tag, DryRun dry_run = DryRun::Off);

/// Who runs migrator, for the history table: MIGRATOR_ACTOR, else user@host.
std::string history_actor();

}  // namespace migrator::command
