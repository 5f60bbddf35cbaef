#include "migrator/command/check.hpp"

#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include "migrator/command/autogenerate.hpp"
#include "migrator/render/operation_listing.hpp"
#include "migrator/util/log.hpp"

namespace migrator::command {

CommandAction setup_check(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<CheckOptions>();
    auto* command = root.add_subcommand(
        "check",
        "Compare the models with the database at its current revision: exit 0 when they match, 1 when a new "
        "migration is needed");
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        const auto operations = run_check(workspace, *options);
        if (options->format == render::OutputFormat::Json) {
            render::print_operations_json(workspace.out(), operations);
        } else if (operations.empty()) {
            fmt::print(workspace.out(), "No new upgrade operations detected.\n");
        } else {
            fmt::print(workspace.out(), "New upgrade operations detected:\n");
            render::print_operations_text(workspace.out(), operations);
        }
        return operations.empty() ? ExitCode::Ok : ExitCode::NotUpToDate;
    };
}

std::vector<schema::PlannedOperation> run_check(Workspace& workspace, const CheckOptions& /*options*/) {
    // Compared with an empty database when the SQLite file is missing; the file is not created.
    workspace.options().database_creation = DatabaseCreation::EmptyInMemory;
    auto operations = compare_models_with_database(workspace, std::nullopt).operations;
    // The comparison is at the database's current revision; say so when that is not the head, since
    // the pending operations then include what the unapplied migrations would do.
    const auto current = read_current_heads(workspace);
    const auto& heads = workspace.revisions().heads();
    if (!same_revisions(current, heads)) {
        log::warn("the database is at {}, not at the head {}; comparing the models with it as it is",
                  describe_heads(current), describe_heads(heads));
    }
    return operations;
}

}  // namespace migrator::command
