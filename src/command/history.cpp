#include "migrator/command/history.hpp"

#include <CLI/CLI.hpp>

namespace migrator::command {

CommandAction setup_history(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<HistoryOptions>();
    auto* command = root.add_subcommand("history", "List the revisions, newest first");
    command->add_option("-r,--rev-range", options->range,
                        "A range START:END; either side may be empty, a revision, head, base or current");
    command->add_flag("-v,--verbose", options->verbose, "Show each revision's details");
    command->add_flag(
        "-i,--indicate-current",
        [options](std::int64_t) { options->indicate_current = CurrentIndicator::On; },
        "Mark the revisions the database is at (connects to it)");
    add_format_option(*command, options->format);
    return [options, &workspace] {
        render::TextColumns columns;
        columns.parents = true;
        columns.branch_labels = true;
        columns.message = true;
        columns.current_indicator = options->indicate_current == CurrentIndicator::On;
        print_listing(workspace, run_history(workspace, *options), options->format,
                      options->verbose ? render::Detail::Verbose : render::Detail::Short, columns);
        return ExitCode::Ok;
    };
}

render::RevisionListing run_history(Workspace& workspace, const HistoryOptions& options) {
    const bool needs_database = options.indicate_current == CurrentIndicator::On ||
                                options.range.find("current") != std::string::npos;
    const auto current_heads = needs_database ? read_current_heads(workspace) : std::vector<std::string>{};
    const std::unordered_set<std::string> current(current_heads.begin(), current_heads.end());

    render::RevisionListing listing{"history", {}};
    for (const auto* revision : workspace.revisions().history(options.range, current_heads)) {
        listing.entries.push_back(describe(*revision, current));
    }
    return listing;
}

}  // namespace migrator::command
