#pragma once
// Writing a new script file, shared by `revision` and `merge`.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migrator/command/workspace.hpp"

namespace migrator::command {

/// Everything a new script needs; parents are already resolved to ids.
struct NewRevision {
    std::string message;
    std::vector<std::string> down_revisions;
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;  // as typed: ids, partial ids or branch labels
    std::optional<std::filesystem::path> version_path;
    std::optional<std::string> rev_id;
    std::string upgrade_sql;
    std::string downgrade_sql;
};

/// The script written, for the command's output.
struct WrittenRevision {
    std::filesystem::path path;
    std::string revision;
};

/// Renders the script template, checks that the graph stays valid with the new script in it,
/// writes the file and returns its path and id. Nothing is written when any check fails.
WrittenRevision write_new_revision(Workspace& workspace, const NewRevision& request);

}  // namespace migrator::command
