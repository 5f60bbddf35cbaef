#pragma once
// `migrator branches`: the revisions where the graph forks.

#include "command/command.hpp"

namespace migrator::command {

/// Options of `branches`.
struct BranchesOptions {
    bool verbose = false;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// A branch point and the revisions it forks into.
struct BranchPoint {
    render::RevisionEntry revision;
    std::vector<render::RevisionEntry> children;
};

/// Registers `branches`.
CommandAction setup_branches(CLI::App& root, Workspace& workspace);

/// Every branch point, oldest first.
std::vector<BranchPoint> run_branches(Workspace& workspace, const BranchesOptions& options);

}  // namespace migrator::command
