#include "command/current.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

#include <algorithm>

#include "command/fleet.hpp"
#include "runtime/version_table.hpp"
#include "util/log.hpp"

namespace migrator::command {

namespace {

ExitCode show_current(Workspace& workspace, const CurrentOptions& options) {
    const auto result = run_current(workspace, options);
    if (options.verbose && options.format == render::OutputFormat::Text) {
        fmt::print(workspace.out(), "Current revision(s) for {}:\n", workspace.database_url().redacted());
    }
    render::TextColumns columns;
    print_listing(workspace, result.listing, options.format,
                  options.verbose ? render::Detail::Verbose : render::Detail::Short, columns);
    if (options.check_heads == HeadsCheck::On && !result.at_heads) {
        log::error("the database is not at every head; missing: {}", fmt::join(result.missing_heads, ", "));
        return ExitCode::NotUpToDate;
    }
    return ExitCode::Ok;
}

}  // namespace

CommandAction setup_current(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<CurrentOptions>();
    auto selection = std::make_shared<TargetSelection>();
    auto* command = root.add_subcommand("current", "Show the revision(s) the database is at");
    command->add_flag("-v,--verbose", options->verbose, "Show each revision's details");
    command->add_flag(
        "--check-heads", [options](std::int64_t) { options->check_heads = HeadsCheck::On; },
        "Exit with status 1 unless the database is at every head (a CI gate)");
    add_format_option(*command, options->format, workspace);
    add_target_options(*command, *selection);
    return [options, selection, &workspace] {
        return run_on_targets(workspace, *selection, "current", options->format,
                              [&options](Workspace& target) { return show_current(target, *options); });
    };
}

CurrentResult run_current(Workspace& workspace, const CurrentOptions& /*options*/) {
    const auto rows = read_current_heads(workspace);
    if (rows.empty()) {
        const auto& config = workspace.config();
        runtime::VersionTable table(workspace.connection(), workspace.dialect(), config.version_table_schema,
                                    config.version_table);
        // Alembic prints nothing here; a line on stderr tells a wrong database from a fresh one.
        if (!table.exists()) {
            log::info("the database has no version table {}: no migration has run on it",
                      table.qualified_name());
        }
    }
    const std::unordered_set<std::string> current(rows.begin(), rows.end());
    const auto& revisions = workspace.revisions();

    CurrentResult result;
    result.listing.name = "current";
    for (const auto* revision : all_current(revisions, rows)) {
        auto entry = describe(*revision, current);
        entry.is_effective_head = !entry.is_current;
        result.listing.entries.push_back(std::move(entry));
    }
    // Alembic's rule for the gate: the rows themselves, not the effective heads, against the script heads.
    for (const auto& head : revisions.heads()) {
        if (!current.contains(head)) result.missing_heads.push_back(head);
    }
    result.at_heads = result.missing_heads.empty() && rows.size() == revisions.heads().size();
    return result;
}

}  // namespace migrator::command
