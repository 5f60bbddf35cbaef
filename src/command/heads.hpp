#pragma once
// `migrator heads`: the revisions nothing is based on yet.

#include "command/command.hpp"

namespace migrator::command {

/// Whether revisions that are only depended upon still count as heads.
enum class DependencyResolution { EffectiveHeads, ResolveDependencies };

/// Options of `heads`.
struct HeadsOptions {
    bool verbose = false;
    DependencyResolution resolution = DependencyResolution::EffectiveHeads;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `heads`.
CommandAction setup_heads(CLI::App& root, Workspace& workspace);

/// The heads, from the scripts alone.
render::RevisionListing run_heads(Workspace& workspace, const HeadsOptions& options);

}  // namespace migrator::command
