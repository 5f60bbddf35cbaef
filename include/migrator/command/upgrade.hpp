#pragma once
// `migrator upgrade TARGET`: upgrade the database to a later revision.

#include <string>

#include "migrator/command/command.hpp"
#include "migrator/command/migrate.hpp"

namespace migrator::command {

/// Options of `upgrade`.
struct UpgradeOptions {
    std::string target;
    SqlOutput sql = SqlOutput::Off;
    std::string tag;
};

/// Registers `upgrade`.
CommandAction setup_upgrade(CLI::App& root, Workspace& workspace);

/// Plans from the database's heads (or the --sql range) and runs or prints the plan.
void run_upgrade(Workspace& workspace, const UpgradeOptions& options);

}  // namespace migrator::command
