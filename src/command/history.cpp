#include "migrator/command/history.hpp"

#include <CLI/CLI.hpp>

#include <functional>

namespace migrator::command {

namespace {

// Entries are copied out in batches of this many, so that a long history is never held twice.
constexpr std::size_t history_batch_size = 256;

// Hands run_history's entries to `take` in order, a batch at a time.
void visit_history(Workspace& workspace, const HistoryOptions& options,
                   const std::function<void(const render::RevisionListing&)>& take) {
    const bool needs_database = options.indicate_current == CurrentIndicator::On ||
                                options.range.find("current") != std::string::npos;
    const auto current_heads = needs_database ? read_current_heads(workspace) : std::vector<std::string>{};
    const std::unordered_set<std::string> current(current_heads.begin(), current_heads.end());
    std::unordered_set<std::string_view> effective;
    if (needs_database) {
        for (const auto* revision : all_current(workspace.revisions(), current_heads))
            if (!current.contains(std::string(revision->id()))) effective.insert(revision->id());
    }

    render::RevisionListing batch{"history", {}};
    for (const auto* revision : workspace.revisions().history(options.range, current_heads)) {
        batch.entries.push_back(describe(*revision, current));
        batch.entries.back().is_effective_head = effective.contains(revision->id());
        if (batch.entries.size() == history_batch_size) {
            take(batch);
            batch.entries.clear();
        }
    }
    if (!batch.entries.empty()) take(batch);
}

}  // namespace

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
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        render::TextColumns columns;
        columns.parents = true;
        columns.branch_labels = true;
        columns.message = true;
        columns.current_indicator = options->indicate_current == CurrentIndicator::On;
        const auto detail = options->verbose ? render::Detail::Verbose : render::Detail::Short;
        if (options->format == render::OutputFormat::Json) {
            print_listing(workspace, run_history(workspace, *options), options->format, detail, columns);
        } else {
            // Text lines stand alone, so they are printed as they come.
            visit_history(workspace, *options, [&](const render::RevisionListing& batch) {
                print_listing(workspace, batch, options->format, detail, columns);
            });
        }
        return ExitCode::Ok;
    };
}

render::RevisionListing run_history(Workspace& workspace, const HistoryOptions& options) {
    render::RevisionListing listing{"history", {}};
    visit_history(workspace, options, [&](const render::RevisionListing& batch) {
        listing.entries.insert(listing.entries.end(), batch.entries.begin(), batch.entries.end());
    });
    return listing;
}

}  // namespace migrator::command
