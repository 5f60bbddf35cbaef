#include "command/command.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>

#include "runtime/version_table.hpp"
#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::command {

void add_format_option(CLI::App& command, render::OutputFormat& format, Workspace& workspace) {
    // By hand rather than CLI11's CheckedTransformer, whose help and errors show its enum mapping.
    command
        .add_option_function<std::string>(
            "--format",
            [&format, &workspace](const std::string& value) {
                format =
                    util::iequals(value, "json") ? render::OutputFormat::Json : render::OutputFormat::Text;
                workspace.options().format = format;
            },
            "Output format: text (default) or json")
        ->type_name("text|json")
        ->check(CLI::Validator(
            [](std::string& value) {
                if (util::iequals(value, "text") || util::iequals(value, "json")) return std::string();
                return fmt::format("must be text or json, not '{}'", util::printable(value));
            },
            "", "format"));
}

render::RevisionEntry describe(const script::Revision& revision,
                               const std::unordered_set<std::string>& current) {
    render::RevisionEntry entry;
    entry.revision = revision.id();
    entry.down_revisions = revision.down_revisions();
    entry.depends_on = revision.depends_on();
    entry.branch_labels = revision.branch_labels();
    entry.next_revisions = revision.next_revisions();
    entry.message = revision.message();
    entry.create_date = revision.create_date();
    entry.path = revision.path();
    entry.is_head = revision.is_head();
    entry.is_real_head = revision.is_real_head();
    entry.is_base = revision.is_base();
    entry.is_branch_point = revision.is_branch_point();
    entry.is_merge_point = revision.is_merge_point();
    entry.is_current = current.contains(std::string(revision.id()));
    return entry;
}

std::vector<const script::Revision*> all_current(const script::RevisionMap& revisions,
                                                 const std::vector<std::string>& rows) {
    std::vector<script::RevisionMap::Index> row_indices;
    row_indices.reserve(rows.size());
    for (const auto& row : rows) row_indices.push_back(revisions.index_of(*revisions.find(row)));
    std::vector<char> is_row(revisions.size(), 0);
    for (const auto i : row_indices) is_row[i] = 1;
    std::vector<char> tip(revisions.size(), 0);
    std::vector<script::RevisionMap::Index> others;
    for (const auto i : revisions.all_current(row_indices)) {
        tip[i] = 1;
        if (is_row[i] == 0) others.push_back(i);
    }
    std::vector<const script::Revision*> out;
    for (const auto i : row_indices) {
        if (tip[i] == 0) continue;  // a row below another row (Alembic drops it too); also skips duplicates
        tip[i] = 0;
        out.push_back(&revisions.at(i));
    }
    std::sort(others.begin(), others.end(),
              [&](auto a, auto b) { return revisions.file_rank(a) < revisions.file_rank(b); });
    for (const auto i : others) out.push_back(&revisions.at(i));
    return out;
}

std::string describe_heads(const std::vector<std::string>& heads) {
    return heads.empty() ? std::string("base") : util::join(heads);
}

bool same_revisions(std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

std::vector<std::string> read_current_heads(Workspace& workspace) {
    const auto& config = workspace.config();
    // The scripts are loaded and validated before the first connection, so bad input never reaches the
    // database.
    const auto& revisions = workspace.revisions();
    runtime::VersionTable table(workspace.connection(), workspace.dialect(), config.version_table_schema,
                                config.version_table);
    auto heads = table.heads();
    for (const auto& head : heads) {
        if (revisions.find(head) == nullptr) {
            throw Error(fmt::format("the database is at revision '{}', which no script in {} defines", head,
                                    util::join([&] {
                                        std::vector<std::string> dirs;
                                        for (const auto& dir : config.version_locations)
                                            dirs.push_back(dir.string());
                                        return dirs;
                                    }())));
        }
    }
    return heads;
}

void print_listing(Workspace& workspace, const render::RevisionListing& listing, render::OutputFormat format,
                   render::Detail detail, const render::TextColumns& columns) {
    if (format == render::OutputFormat::Json) {
        render::print_json(workspace.out(), listing);
    } else {
        render::print_text(workspace.out(), listing, detail, columns);
    }
}

}  // namespace migrator::command
