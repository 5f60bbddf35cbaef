#pragma once
// `migrator edit REV`: open a script in $VISUAL or $EDITOR.

#include <string>

#include "command/command.hpp"

namespace migrator::command {

/// Options of `edit`.
struct EditOptions {
    std::string revision;
};

/// Registers `edit`.
CommandAction setup_edit(CLI::App& root, Workspace& workspace);

/// Runs the editor on the script; a failing editor is an Error.
void run_edit(Workspace& workspace, const EditOptions& options);

}  // namespace migrator::command
