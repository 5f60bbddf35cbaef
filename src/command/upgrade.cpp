#include "command/upgrade.hpp"

#include <CLI/CLI.hpp>

#include "command/checkpoint_upgrade.hpp"
#include "command/fleet.hpp"
#include "runtime/planner.hpp"

namespace migrator::command {

CommandAction setup_upgrade(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<MigrateOptions>();
    auto checkpoint = std::make_shared<CheckpointUse>(CheckpointUse::Allowed);
    auto selection = std::make_shared<TargetSelection>();
    auto* command = root.add_subcommand("upgrade", "Upgrade the database to a later revision");
    add_migrate_options(*command, *options,
                        "head, heads, a revision, +N, REV+N, BRANCH@head; START:END with --sql", workspace);
    command->add_flag(
        "--no-checkpoint", [checkpoint](std::int64_t) { *checkpoint = CheckpointUse::Never; },
        "On a fresh database, replay every script instead of starting from a checkpoint");
    add_target_options(*command, *selection);
    return [options, checkpoint, selection, &workspace] {
        check_json_output(options->format, options->sql, options->dry_run);
        workspace.options().step_records = step_records_for(options->format);  // targets copy it
        check_fleet_output(*selection, options->sql == SqlOutput::On || options->dry_run == DryRun::On);
        return run_on_targets(workspace, *selection, "upgrade", options->format, [&](Workspace& target) {
            print_report(target, run_upgrade(target, *options, *checkpoint), "upgrade", options->format);
            return ExitCode::Ok;
        });
    };
}

MigrationResult run_upgrade(Workspace& workspace, const MigrateOptions& options, CheckpointUse checkpoint) {
    // Connecting creates a missing SQLite file, so a mistyped target must fail first. A range is
    // refused by make_plan_request.
    if (options.sql == SqlOutput::Off && options.target.find(':') == std::string::npos) {
        runtime::check_upgrade_target(workspace.revisions(), options.target);
    }
    // Upgrade may create the SQLite file; a dry run reads the database and must leave no file behind.
    if (options.dry_run == DryRun::Off) workspace.options().database_creation = DatabaseCreation::Allowed;
    const auto request = make_plan_request(workspace, options.target, options.sql, "upgrade",
                                           RangeRequirement::Optional, options.dry_run);
    // A dry run shows the full replay: running a checkpoint is not something it can print from the live
    // database (docs/checkpoints.md).
    if (checkpoint == CheckpointUse::Allowed && options.dry_run == DryRun::Off) {
        if (auto report = upgrade_through_checkpoint(workspace, request, options.tag))
            return std::move(*report);
    }
    const auto plan = runtime::plan_upgrade(workspace.revisions(), request.current_heads, request.target);
    verify_applied_scripts(workspace, request, plan, options.verify);
    return execute_plan(workspace, plan, request.mode, options.tag, options.dry_run);
}

}  // namespace migrator::command
