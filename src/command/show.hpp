#pragma once
// `migrator show REV`: one revision in full.

#include <string>

#include "command/command.hpp"

namespace migrator::command {

/// Options of `show`.
struct ShowOptions {
    std::string revision;  // an id, a partial id, a branch label, head, heads, base or current
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `show`.
CommandAction setup_show(CLI::App& root, Workspace& workspace);

/// The revisions the argument names (several for `heads` or a database at several heads).
render::RevisionListing run_show(Workspace& workspace, const ShowOptions& options);

/// Resolves REV for show and edit: `current` reads the database, `heads`/`head`/`base` use the scripts.
std::vector<const script::Revision*> resolve_for_show(Workspace& workspace, const std::string& identifier);

}  // namespace migrator::command
