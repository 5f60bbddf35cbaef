#pragma once
// What read commands return, and how it is printed: Alembic's text formats or JSON.

#include <ostream>
#include <string>
#include <vector>

#include "migrator/results.hpp"

namespace migrator::render {

/// How results are printed on stdout.
enum class OutputFormat { Text, Json };

/// How much the text format shows per revision (Alembic's --verbose).
enum class Detail { Short, Verbose };

/// One revision as reported to users: the API's result type (migrator/results.hpp).
using RevisionEntry = migrator::Revision;

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
