#include "migrator/command/upgrade.hpp"

#include <CLI/CLI.hpp>

#include "migrator/runtime/planner.hpp"

namespace migrator::command {

CommandAction setup_upgrade(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<MigrateOptions>();
    auto* command = root.add_subcommand("upgrade", "Upgrade the database to a later revision");
    add_migrate_options(*command, *options,
                        "head, heads, a revision, +N, REV+N, BRANCH@head; START:END with --sql");
    return [options, &workspace] {
        run_upgrade(workspace, *options);
        return ExitCode::Ok;
    };
}

void run_upgrade(Workspace& workspace, const MigrateOptions& options) {
    const auto request = make_plan_request(workspace, options.target, options.sql, "upgrade",
                                           RangeRequirement::Optional, options.dry_run);
    const auto plan = runtime::plan_upgrade(workspace.revisions(), request.current_heads, request.target);
    verify_applied_scripts(workspace, request, plan, options.verify);
    execute_plan(workspace, plan, request.mode, options.tag, options.dry_run);
}

}  // namespace migrator::command
