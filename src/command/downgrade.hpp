#pragma once
// `migrator downgrade TARGET`: revert the database to an earlier revision.

#include "command/command.hpp"
#include "command/migrate.hpp"

namespace migrator::command {

/// Registers `downgrade`.
CommandAction setup_downgrade(CLI::App& root, Workspace& workspace);

/// Plans from the database's heads (or the --sql range) and runs or prints the plan.
MigrationResult run_downgrade(Workspace& workspace, const MigrateOptions& options);

}  // namespace migrator::command
