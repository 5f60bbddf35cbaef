#include "command/log.hpp"

#include <CLI/CLI.hpp>

#include "runtime/history_table.hpp"
#include "script/revision_map.hpp"

namespace migrator::command {

CommandAction setup_log(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<LogOptions>();
    auto* command = root.add_subcommand("log", "Show the history table: every step run, newest first");
    command->add_option("-n,--max-count", options->limit, "Show at most N rows (default: all)");
    command->add_option("-r,--revision", options->revision,
                        "Only rows of this revision (a full id, or a prefix or label a script resolves)");
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        const auto entries = run_log(workspace, *options);
        if (options->format == render::OutputFormat::Json) {
            render::print_json(workspace.out(), entries);
        } else {
            render::print_text(workspace.out(), entries);
        }
        return ExitCode::Ok;
    };
}

std::vector<HistoryEntry> run_log(Workspace& workspace, const LogOptions& options) {
    std::optional<std::string> revision = options.revision;
    // A prefix or label is resolved through the scripts; a deleted script's full id still matches as given.
    if (revision && workspace.revisions().find(*revision) == nullptr) {
        revision = std::string(workspace.revisions().resolve(*revision).id());
    }
    const auto& config = workspace.config();
    runtime::HistoryTable history(workspace.connection(), workspace.dialect(), config.version_table_schema,
                                  config.history_table);
    return history.rows(options.limit, revision);
}

}  // namespace migrator::command
