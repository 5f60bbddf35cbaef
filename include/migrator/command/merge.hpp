#pragma once
// `migrator merge -m MSG REVS...`: a script whose parents are several heads.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migrator/command/command.hpp"
#include "migrator/render/change_report.hpp"

namespace migrator::command {

/// Options of `merge`.
struct MergeOptions {
    std::string message;
    std::vector<std::string> revisions;  // "heads" expands to every head
    std::vector<std::string> branch_labels;
    std::optional<std::string> rev_id;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `merge`.
CommandAction setup_merge(CLI::App& root, Workspace& workspace);

/// Writes the merge script and returns its path and id.
render::NewScriptReport run_merge(Workspace& workspace, const MergeOptions& options);

}  // namespace migrator::command
