#include <fmt/format.h>

#include "render/revision_listing.hpp"
#include "util/strings.hpp"

namespace migrator::render {

namespace {

std::string format_down_revisions(const RevisionEntry& entry) {
    return entry.down_revisions.empty() ? std::string("<base>") : util::join(entry.down_revisions);
}

}  // namespace

std::string short_line(const RevisionEntry& entry, const TextColumns& columns) {
    std::string text = entry.revision;
    if (columns.parents) {
        if (entry.depends_on.empty()) {
            text = fmt::format("{} -> {}", format_down_revisions(entry), text);
        } else {
            text = fmt::format("{} ({}) -> {}", format_down_revisions(entry), util::join(entry.depends_on),
                               text);
        }
    }
    if (columns.branch_labels && !entry.branch_labels.empty()) {
        text += fmt::format(" ({})", util::join(entry.branch_labels));
    }
    if (entry.is_real_head) text += " (head)";
    if (entry.is_head && !entry.is_real_head) text += " (effective head)";
    if (columns.current_indicator && entry.is_current) text += " (current)";
    if (columns.tree_indicators) {
        if (entry.is_branch_point) text += " (branchpoint)";
        if (entry.is_merge_point) text += " (mergepoint)";
    }
    if (columns.message) text += fmt::format(", {}", entry.message);
    // Messages, labels and paths come from script files: nothing in them may drive the terminal.
    return util::printable(text);
}

std::string verbose_block(const RevisionEntry& entry, const TextColumns& columns) {
    std::string text = fmt::format("Rev: {}{}{}{}{}\n", entry.revision, entry.is_head ? " (head)" : "",
                                   entry.is_branch_point ? " (branchpoint)" : "",
                                   entry.is_merge_point ? " (mergepoint)" : "",
                                   columns.current_indicator && entry.is_current ? " (current)" : "");
    text += fmt::format("{}: {}\n", entry.is_merge_point ? "Merges" : "Parent", format_down_revisions(entry));
    if (!entry.depends_on.empty()) text += fmt::format("Also depends on: {}\n", util::join(entry.depends_on));
    if (entry.is_branch_point) text += fmt::format("Branches into: {}\n", util::join(entry.next_revisions));
    if (!entry.branch_labels.empty())
        text += fmt::format("Branch names: {}\n", util::join(entry.branch_labels));
    text += fmt::format("Path: {}\n\n", entry.path);
    text += fmt::format("    {}\n\n", entry.message);
    text += fmt::format("    Revision ID: {}\n", entry.revision);
    text += fmt::format("    Revises: {}\n", util::join(entry.down_revisions));
    text += fmt::format("    Create Date: {}\n", entry.create_date);
    return util::printable(text, util::LineBreaks::Keep);
}

void print_text(std::ostream& out, const RevisionListing& listing, Detail detail,
                const TextColumns& columns) {
    for (const auto& entry : listing.entries) {
        if (detail == Detail::Verbose) {
            out << verbose_block(entry, columns) << '\n';
        } else {
            out << short_line(entry, columns) << '\n';
        }
    }
}

}  // namespace migrator::render
