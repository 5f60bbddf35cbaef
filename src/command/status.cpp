#include "command/status.hpp"

#include <CLI/CLI.hpp>

#include "command/fleet.hpp"
#include "command/verify.hpp"
#include "runtime/planner.hpp"
#include "script/revision_map.hpp"

namespace migrator::command {

CommandAction setup_status(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<StatusOptions>();
    auto* command = root.add_subcommand(
        "status", "Show where the database is, the pending steps, changed scripts and recent history");
    command->add_option("-n,--recent", options->recent, "How many history rows to show")->default_str("5");
    add_format_option(*command, options->format, workspace);
    auto selection = std::make_shared<TargetSelection>();
    add_target_options(*command, *selection);
    return [options, selection, &workspace] {
        return run_on_targets(workspace, *selection, "status", options->format,
                              [&options](Workspace& target) {
                                  const auto report = run_status(target, *options);
                                  if (options->format == render::OutputFormat::Json) {
                                      render::print_json(target.out(), report);
                                  } else {
                                      render::print_text(target.out(), report);
                                  }
                                  return ExitCode::Ok;
                              });
    };
}

render::StatusReport run_status(Workspace& workspace, const StatusOptions& options) {
    render::StatusReport report;
    const auto& revisions = workspace.revisions();
    report.database = workspace.database_url().redacted();
    report.current = read_version_rows(workspace);
    report.heads = revisions.heads();
    const auto integrity = inspect_applied_scripts(workspace, report.current);
    bool missing = false;
    for (const auto& entry : integrity.revisions) {
        if (entry.state == runtime::ScriptState::Missing) missing = true;
        if (entry.state != runtime::ScriptState::Unchanged) report.problems.push_back(to_verify_entry(entry));
    }
    if (!missing) {
        std::vector<render::PendingStep> pending;
        const auto plan = runtime::plan_upgrade(revisions, report.current, "heads");
        for (const auto& step : plan.steps) {
            if (step.revision == nullptr) continue;
            pending.push_back({std::string(step.revision->id()), std::string(step.revision->message()),
                               step.revision->path()});
        }
        report.pending = std::move(pending);
    }
    const auto& config = workspace.config();
    runtime::HistoryTable history(workspace.connection(), workspace.dialect(), config.version_table_schema,
                                  config.history_table);
    report.history_recorded = history.exists();
    if (report.history_recorded && options.recent > 0) {
        report.recent = history.rows(options.recent, std::nullopt);
    }
    return report;
}

}  // namespace migrator::command
