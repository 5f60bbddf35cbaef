#include "command/check.hpp"

#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include "command/autogenerate.hpp"
#include "command/fleet.hpp"
#include "render/operation_listing.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace migrator::command {

namespace {

ExitCode show_check(Workspace& workspace, const CheckOptions& options) {
    const auto result = run_check(workspace, options);
    const auto& operations = result.operations;
    if (options.format == render::OutputFormat::Json) {
        render::print_operations_json(workspace.out(), operations, result.not_compared);
    } else if (operations.empty() && result.not_compared.empty()) {
        fmt::print(workspace.out(), "No new upgrade operations detected.\n");
    } else {
        if (operations.empty()) {
            fmt::print(workspace.out(), "No new upgrade operations detected in the objects compared.\n");
        } else {
            fmt::print(workspace.out(), "New upgrade operations detected:\n");
            render::print_operations_text(workspace.out(), operations);
        }
        // Never a clean result: these objects may differ.
        if (!result.not_compared.empty()) {
            fmt::print(workspace.out(), "not compared: {}\n",
                       util::printable(render::describe_not_compared(result.not_compared)));
        }
    }
    const bool clean = operations.empty() && result.not_compared.empty();
    return clean ? ExitCode::Ok : ExitCode::NotUpToDate;
}

}  // namespace

CommandAction setup_check(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<CheckOptions>();
    auto* command = root.add_subcommand(
        "check",
        "Compare the models with the database at its current revision: exit 0 when they match, 1 when a new "
        "migration is needed or objects are not compared");
    add_format_option(*command, options->format, workspace);
    auto selection = std::make_shared<TargetSelection>();
    add_target_options(*command, *selection);
    return [options, selection, &workspace] {
        return run_on_targets(workspace, *selection, "check", options->format,
                              [&options](Workspace& target) { return show_check(target, *options); });
    };
}

CheckResult run_check(Workspace& workspace, const CheckOptions& /*options*/) {
    // Compared with an empty database when the SQLite file is missing; the file is not created.
    workspace.options().database_creation = DatabaseCreation::EmptyInMemory;
    auto comparison = compare_models_with_database(workspace, std::nullopt);
    // The comparison is at the database's current revision; say so when that is not the head, since
    // the pending operations then include what the unapplied migrations would do.
    const auto current = read_current_heads(workspace);
    const auto& heads = workspace.revisions().heads();
    if (!same_revisions(current, heads)) {
        log::warn("the database is at {}, not at the head {}; comparing the models with it as it is",
                  describe_heads(current), describe_heads(heads));
    }
    return {std::move(comparison.operations), std::move(comparison.not_compared)};
}

}  // namespace migrator::command
