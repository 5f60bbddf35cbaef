#include "migrator/command/heads.hpp"

#include <CLI/CLI.hpp>

namespace migrator::command {

CommandAction setup_heads(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<HeadsOptions>();
    auto* command = root.add_subcommand("heads", "Show the current heads of the script directory");
    command->add_flag("-v,--verbose", options->verbose, "Show each revision's details");
    command->add_flag(
        "--resolve-dependencies",
        [options](std::int64_t) { options->resolution = DependencyResolution::ResolveDependencies; },
        "Leave out heads that another revision depends on");
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        render::TextColumns columns;
        columns.branch_labels = true;
        columns.tree_indicators = false;
        print_listing(workspace, run_heads(workspace, *options), options->format,
                      options->verbose ? render::Detail::Verbose : render::Detail::Short, columns);
        return ExitCode::Ok;
    };
}

render::RevisionListing run_heads(Workspace& workspace, const HeadsOptions& options) {
    const auto& revisions = workspace.revisions();
    const auto heads = options.resolution == DependencyResolution::ResolveDependencies
                           ? revisions.real_heads()
                           : revisions.heads();
    render::RevisionListing listing{"heads", {}};
    for (const auto& head : heads) listing.entries.push_back(describe(*revisions.find(head), {}));
    return listing;
}

}  // namespace migrator::command
