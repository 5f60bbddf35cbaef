#pragma once
// `migrator downgrade TARGET`: revert the database to an earlier revision.

#include <string>

#include "migrator/command/command.hpp"
#include "migrator/command/migrate.hpp"

namespace migrator::command {

/// Options of `downgrade`.
struct DowngradeOptions {
    std::string target;
    SqlOutput sql = SqlOutput::Off;
    std::string tag;
};

/// Registers `downgrade`.
CommandAction setup_downgrade(CLI::App& root, Workspace& workspace);

/// Plans from the database's heads (or the --sql range) and runs or prints the plan.
void run_downgrade(Workspace& workspace, const DowngradeOptions& options);

}  // namespace migrator::command
