#include "migrator/command/branches.hpp"

#include <fmt/ostream.h>
#include <CLI/CLI.hpp>

namespace migrator::command {

namespace {

// Alembic's layout: the branch point, then "-> child" lines indented under its id.
void print_branch_points_text(std::ostream& out, const std::vector<BranchPoint>& points,
                              render::Detail detail) {
    render::TextColumns columns;
    columns.branch_labels = true;
    render::TextColumns child_columns = columns;
    child_columns.message = detail == render::Detail::Verbose;
    for (const auto& point : points) {
        out << (detail == render::Detail::Verbose ? render::verbose_block(point.revision, columns)
                                                  : render::short_line(point.revision, columns) + "\n");
        const std::string indent(point.revision.revision.size(), ' ');
        for (const auto& child : point.children) {
            fmt::print(out, "{} -> {}\n", indent, render::short_line(child, child_columns));
        }
        out << '\n';
    }
}

}  // namespace

CommandAction setup_branches(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<BranchesOptions>();
    auto* command = root.add_subcommand("branches", "Show the branch points of the revision graph");
    command->add_flag("-v,--verbose", options->verbose, "Show each revision's details");
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        const auto points = run_branches(workspace, *options);
        if (options->format == render::OutputFormat::Json) {
            render::RevisionListing listing{"branches", {}};
            for (const auto& point : points) listing.entries.push_back(point.revision);
            render::print_json(workspace.out(), listing);
        } else {
            print_branch_points_text(workspace.out(), points,
                                     options->verbose ? render::Detail::Verbose : render::Detail::Short);
        }
        return ExitCode::Ok;
    };
}

std::vector<BranchPoint> run_branches(Workspace& workspace, const BranchesOptions& /*options*/) {
    const auto& revisions = workspace.revisions();
    std::vector<BranchPoint> points;
    for (const auto& revision : revisions.revisions()) {
        if (!revision.is_branch_point()) continue;
        BranchPoint point{describe(revision, {}), {}};
        for (const auto child : revision.next_revisions()) {
            point.children.push_back(describe(*revisions.find(child), {}));
        }
        points.push_back(std::move(point));
    }
    return points;
}

}  // namespace migrator::command
