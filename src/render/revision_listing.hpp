#pragma once
// What read commands return, and how it is printed: Alembic's text formats or JSON.

#include <ostream>
#include <string>
#include <vector>

namespace migrator::render {

/// How results are printed on stdout.
enum class OutputFormat { Text, Json };

/// How much the text format shows per revision (Alembic's --verbose).
enum class Detail { Short, Verbose };

/// One revision as reported to users.
struct RevisionEntry {
    std::string revision;
    std::vector<std::string> down_revisions;
    std::vector<std::string> depends_on;
    std::vector<std::string> branch_labels;
    std::vector<std::string> next_revisions;
    std::string message;
    std::string create_date;
    std::string path;
    bool is_head = false;       // nothing is based on it (Alembic's effective head)
    bool is_real_head = false;  // nor depends on it
    bool is_base = false;
    bool is_branch_point = false;
    bool is_merge_point = false;
    bool is_current = false;  // a row of the version table names this revision
    bool is_effective_head =
        false;  // no row names it, but a row depends on it and nothing applied is based on it
};

/// Which columns the short text line shows; mirrors the arguments of Alembic's cmd_format.
struct TextColumns {
    bool parents = false;            // "<base> -> 3f2a..."
    bool branch_labels = false;      // " (mybranch)"
    bool tree_indicators = true;     // " (branchpoint)", " (mergepoint)"
    bool message = false;            // ", add email column"
    bool current_indicator = false;  // " (current)", also in the verbose block
};

/// A read command's result: a named list of revisions.
struct RevisionListing {
    std::string name;  // JSON key: "current", "heads", "history", "branches", "revision"
    std::vector<RevisionEntry> entries;
};

/// One line in Alembic's short format, with control characters escaped.
std::string short_line(const RevisionEntry& entry, const TextColumns& columns);

/// Alembic's verbose block (Rev:, Parent:, Path:, the message and header), control characters escaped;
/// " (current)" only when `columns.current_indicator` is set, as Alembic marks it only for `history
/// --indicate-current`.
std::string verbose_block(const RevisionEntry& entry, const TextColumns& columns);

/// Prints each entry as a short line or a verbose block.
void print_text(std::ostream& out, const RevisionListing& listing, Detail detail, const TextColumns& columns);

/// Prints `{"<name>": [ {...}, ... ]}` followed by a newline.
void print_json(std::ostream& out, const RevisionListing& listing);

}  // namespace migrator::render
