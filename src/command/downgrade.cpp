#include "command/downgrade.hpp"

#include <CLI/CLI.hpp>

#include "command/fleet.hpp"
#include "runtime/planner.hpp"

namespace migrator::command {

CommandAction setup_downgrade(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<MigrateOptions>();
    auto selection = std::make_shared<TargetSelection>();
    auto* command = root.add_subcommand("downgrade", "Revert the database to an earlier revision");
    add_migrate_options(
        *command, *options,
        "base, a revision, -N, REV-N, BRANCH@base, BRANCH@-N; START:END with --sql (required there)",
        workspace);
    add_target_options(*command, *selection);
    return [options, selection, &workspace] {
        check_json_output(options->format, options->sql, options->dry_run);
        workspace.options().step_records = step_records_for(options->format);  // targets copy it
        check_fleet_output(*selection, options->sql == SqlOutput::On || options->dry_run == DryRun::On);
        return run_on_targets(workspace, *selection, "downgrade", options->format, [&](Workspace& target) {
            print_report(target, run_downgrade(target, *options), "downgrade", options->format);
            return ExitCode::Ok;
        });
    };
}

MigrationResult run_downgrade(Workspace& workspace, const MigrateOptions& options) {
    const auto request = make_plan_request(workspace, options.target, options.sql, "downgrade",
                                           RangeRequirement::Required, options.dry_run);
    const auto plan = runtime::plan_downgrade(workspace.revisions(), request.current_heads, request.target);
    verify_applied_scripts(workspace, request, plan, options.verify);
    return execute_plan(workspace, plan, request.mode, options.tag, options.dry_run);
}

}  // namespace migrator::command
