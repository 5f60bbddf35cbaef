#include "migrator/command/ensure_version.hpp"

#include <CLI/CLI.hpp>

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
    return [options, &workspace] {
        run_ensure_version(workspace, *options);
        return ExitCode::Ok;
    };
}

void run_ensure_version(Workspace& workspace, const EnsureVersionOptions& options) {
    const auto& config = workspace.config();
    if (options.sql == SqlOutput::On) {
        db::OfflineConnection offline(workspace.out());
        runtime::VersionTable(offline, workspace.dialect(), config.version_table_schema, config.version_table,
                              runtime::Mode::Offline)
            .ensure();
        runtime::HistoryTable(offline, workspace.dialect(), config.version_table_schema, config.history_table,
                              runtime::Mode::Offline)
            .ensure();
        return;
    }
    runtime::VersionTable(workspace.connection(), workspace.dialect(), config.version_table_schema,
                          config.version_table)
        .ensure();
    runtime::HistoryTable(workspace.connection(), workspace.dialect(), config.version_table_schema,
                          config.history_table)
        .ensure();
}

}  // namespace migrator::command
