#pragma once
// `migrator merge -m MSG REVS...`: a script whose parents are several heads.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migrator/command/command.hpp"

namespace migrator::command {

/// Options of `merge`.
struct MergeOptions {
    std::string message;
    std::vector<std::string> revisions;  // "heads" expands to every head
    std::vector<std::string> branch_labels;
    std::optional<std::string> rev_id;
};

/// Registers `merge`.
CommandAction setup_merge(CLI::App& root, Workspace& workspace);

/// Writes the merge script and returns its path.
std::filesystem::path run_merge(Workspace& workspace, const MergeOptions& options);

}  // namespace migrator::command
