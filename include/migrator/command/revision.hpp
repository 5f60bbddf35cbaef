#pragma once
// `migrator revision -m MSG`: a new, empty migration script.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migrator/command/command.hpp"

namespace migrator::command {

/// Options of `revision`.
struct RevisionOptions {
    std::string message;
    std::string head = "head";
    bool splice = false;
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;
    std::optional<std::filesystem::path> version_path;
    std::optional<std::string> rev_id;
};

/// Registers `revision`.
CommandAction setup_revision(CLI::App& root, Workspace& workspace);

/// Writes the new script and returns its path.
std::filesystem::path run_revision(Workspace& workspace, const RevisionOptions& options);

}  // namespace migrator::command
