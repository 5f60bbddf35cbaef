#include "migrator/command/ensure_version.hpp"

#include <CLI/CLI.hpp>

#include "migrator/command/migrate.hpp"
#include "migrator/db/offline_connection.hpp"
#include "migrator/runtime/history_table.hpp"

namespace migrator::command {

CommandAction setup_ensure_version(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<EnsureVersionOptions>();
    auto* command =
        root.add_subcommand("ensure_version", "Create the version and history tables if they do not exist");
    command->add_flag(
        "--sql", [options](std::int64_t) { options->sql = SqlOutput::On; },
        "Print the CREATE TABLE statements instead of running them");
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        check_json_output(options->format, options->sql, DryRun::Off);
        workspace.options().database_creation = DatabaseCreation::Allowed;
        const auto report = run_ensure_version(workspace, *options);
        if (options->format == render::OutputFormat::Json) render::print_json(workspace.out(), report);
        return ExitCode::Ok;
    };
}

render::ChangeReport run_ensure_version(Workspace& workspace, const EnsureVersionOptions& options) {
    const auto& config = workspace.config();
    if (options.sql == SqlOutput::On) {
        db::OfflineConnection offline(workspace.out());
        runtime::VersionTable(offline, workspace.dialect(), config.version_table_schema, config.version_table,
                              runtime::Mode::Offline)
            .ensure();
        runtime::HistoryTable(offline, workspace.dialect(), config.version_table_schema, config.history_table,
                              runtime::Mode::Offline)
            .ensure();
        return {"ensure_version", {}, {}, std::nullopt};
    }
    render::ChangeReport report{"ensure_version", {}, {}, std::nullopt};
    runtime::VersionTable versions(workspace.connection(), workspace.dialect(), config.version_table_schema,
                                   config.version_table);
    (versions.exists() ? report.existing : report.created).push_back(versions.qualified_name());
    versions.ensure();
    runtime::HistoryTable history(workspace.connection(), workspace.dialect(), config.version_table_schema,
                                  config.history_table);
    (history.exists() ? report.existing : report.created).push_back(history.qualified_name());
    history.ensure();
    return report;
}

}  // namespace migrator::command
