#include "command/stamp.hpp"

#include <CLI/CLI.hpp>

#include "runtime/planner.hpp"

namespace migrator::command {

CommandAction setup_stamp(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<StampOptions>();
    auto* command =
        root.add_subcommand("stamp", "Set the version table to a revision without running migrations");
    command
        ->add_option("target", options->target,
                     "head, heads, base, a revision or BRANCH@head; START:END with --sql")
        ->required();
    command->add_flag(
        "--sql", [options](std::int64_t) { options->sql = SqlOutput::On; },
        "Print the SQL instead of running it (offline mode; does not connect)");
    command->add_flag(
        "--purge", [options](std::int64_t) { options->purge = StampPurgeOption::Purge; },
        "Delete every row of the version table first, even revisions no script knows");
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        check_json_output(options->format, options->sql, DryRun::Off);
        workspace.options().step_records = step_records_for(options->format);
        print_report(workspace, run_stamp(workspace, *options), "stamp", options->format);
        return ExitCode::Ok;
    };
}

MigrationResult run_stamp(Workspace& workspace, const StampOptions& options) {
    // As for upgrade: connecting creates a missing SQLite file, so a mistyped target fails first.
    if (options.sql == SqlOutput::Off && options.target.find(':') == std::string::npos) {
        runtime::check_upgrade_target(workspace.revisions(), options.target);
    }
    workspace.options().database_creation = DatabaseCreation::Allowed;
    if (options.purge == StampPurgeOption::Keep || options.sql == SqlOutput::On) {
        const auto request =
            make_plan_request(workspace, options.target, options.sql, "stamp", RangeRequirement::Optional);
        const auto purge =
            options.purge == StampPurgeOption::Purge ? runtime::StampPurge::Purge : runtime::StampPurge::Keep;
        const auto plan =
            runtime::plan_stamp(workspace.revisions(), request.current_heads, request.target, purge);
        return execute_plan(workspace, plan, request.mode, {});
    }
    // --purge exists for version tables that name revisions no script defines, so the rows are
    // read raw (not checked against the scripts) and deleted before stamping from empty.
    const auto& config = workspace.config();
    (void)workspace.revisions();
    workspace.lock_database();  // the rows are read and deleted under the lock, like any upgrade's
    runtime::VersionTable table(workspace.connection(), workspace.dialect(), config.version_table_schema,
                                config.version_table);
    auto plan = runtime::plan_stamp(workspace.revisions(), {}, options.target, runtime::StampPurge::Keep);
    plan.heads_before = table.heads();
    runtime::MigrationStep purge_step;  // its changes view the rows kept in plan.heads_before
    for (const auto& row : plan.heads_before) {
        purge_step.version_changes.push_back({runtime::VersionChangeKind::Purge, row, {}});
    }
    if (!purge_step.version_changes.empty()) plan.steps.insert(plan.steps.begin(), std::move(purge_step));
    return execute_plan(workspace, plan, runtime::Mode::Online, {});
}

}  // namespace migrator::command
