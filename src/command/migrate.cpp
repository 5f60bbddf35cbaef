#include "migrator/command/migrate.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "migrator/command/command.hpp"
#include "migrator/db/offline_connection.hpp"
#include "migrator/runtime/migration_context.hpp"
#include "migrator/runtime/planner.hpp"
#include "migrator/runtime/preflight.hpp"
#include "migrator/script/script_loader.hpp"
#include "migrator/util/error.hpp"
#include "migrator/util/log.hpp"
#include "migrator/util/strings.hpp"

namespace migrator::command {

PlanRequest make_plan_request(Workspace& workspace, const std::string& target, SqlOutput sql,
                              const char* command_name, RangeRequirement range_requirement) {
    PlanRequest request;
    const auto colon = target.find(':');
    if (sql == SqlOutput::Off) {
        if (colon != std::string::npos) {
            throw Error(fmt::format("range '{}' is only allowed with --sql (offline mode)", target),
                        ExitCode::Usage);
        }
        // The heads are read under the lock, so a second runner sees what the first one did;
        // the scripts are validated first, so bad input never waits for or touches the database.
        workspace.revisions();
        workspace.lock_database();
        request.current_heads = read_current_heads(workspace);
        request.target = target;
        return request;
    }
    request.mode = runtime::Mode::Offline;
    if (colon == std::string::npos && range_requirement == RangeRequirement::Required) {
        throw Error(fmt::format("{} with --sql requires <fromrev>:<torev>", command_name), ExitCode::Usage);
    }
    auto range = runtime::resolve_offline_range(workspace.revisions(), target);
    request.current_heads = std::move(range.start_heads);
    request.target = std::move(range.end);
    return request;
}

void execute_plan(Workspace& workspace, const runtime::Plan& plan, runtime::Mode mode,
                  const std::string& tag) {
    // Every script of the plan is checked before the first statement runs or is printed: a malformed
    // one leaves the database unchanged instead of stopping the run halfway.
    runtime::check_plan_scripts(plan, script::disk_script_files(), workspace.dialect().kind())
        .value_or_throw();
    const auto& config = workspace.config();
    runtime::MigrationOptions options;
    options.transaction_scope = config.transaction_per_migration ? runtime::TransactionScope::PerMigration
                                                                 : runtime::TransactionScope::WholeCommand;
    options.mode = mode;
    options.version_table = config.version_table;
    options.version_table_schema = config.version_table_schema;
    options.interruption = workspace.options().interruption;
    if (!tag.empty()) log::info("tag: {}", tag);

    if (mode == runtime::Mode::Offline) {
        db::OfflineConnection offline(workspace.out());
        if (!tag.empty()) offline.comment(fmt::format("tag: {}", util::printable(tag)));
        runtime::MigrationContext(offline, workspace.dialect(), options).run(plan);
        return;
    }
    workspace.lock_database();
    const auto done =
        runtime::MigrationContext(workspace.connection(), workspace.dialect(), options).run(plan);
    if (plan.steps.empty()) {
        log::info("nothing to do: the database is already at {}", describe_heads(plan.heads_after));
    } else {
        log::info("done: {} step(s); the database is now at {}", done, describe_heads(plan.heads_after));
    }
}

void add_migrate_options(CLI::App& command, MigrateOptions& options, const std::string& target_help) {
    command.add_option("target", options.target, target_help)->required();
    command.add_flag(
        "--sql", [&options](std::int64_t) { options.sql = SqlOutput::On; },
        "Print the SQL instead of running it (offline mode; does not connect)");
    command.add_option("--tag", options.tag, "An arbitrary tag, echoed in the log and the --sql output");
}

}  // namespace migrator::command
