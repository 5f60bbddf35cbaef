#include "command/show.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

namespace migrator::command {

CommandAction setup_show(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<ShowOptions>();
    auto* command = root.add_subcommand("show", "Show the details of a revision");
    command
        ->add_option("revision", options->revision,
                     "A revision id, partial id, branch label, head, heads, "
                     "base or current")
        ->required();
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        print_listing(workspace, run_show(workspace, *options), options->format, render::Detail::Verbose, {});
        return ExitCode::Ok;
    };
}

std::vector<const script::Revision*> resolve_for_show(Workspace& workspace, const std::string& identifier) {
    const auto& revisions = workspace.revisions();
    std::vector<std::string> ids;
    if (identifier == "current") {
        ids = read_current_heads(workspace);
    } else if (identifier == "heads") {
        ids = revisions.heads();
    } else if (identifier == "base") {
        ids = revisions.bases();
    } else {
        ids = revisions.resolve_all({identifier});
    }
    std::vector<const script::Revision*> found;
    found.reserve(ids.size());
    for (const auto& id : ids) found.push_back(revisions.find(id));
    if (found.empty()) throw Error(fmt::format("'{}' names no revision", identifier));
    return found;
}

render::RevisionListing run_show(Workspace& workspace, const ShowOptions& options) {
    render::RevisionListing listing{"revisions", {}};
    for (const auto* revision : resolve_for_show(workspace, options.revision)) {
        listing.entries.push_back(describe(*revision, {}));
    }
    return listing;
}

}  // namespace migrator::command
