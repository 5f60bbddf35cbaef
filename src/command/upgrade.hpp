#pragma once
// `migrator upgrade TARGET`: upgrade the database to a later revision.

#include "command/checkpoint_upgrade.hpp"
#include "command/command.hpp"
#include "command/migrate.hpp"

namespace migrator::command {

/// Registers `upgrade`.
CommandAction setup_upgrade(CLI::App& root, Workspace& workspace);

/// Plans from the database's heads (or the --sql range) and runs or prints the plan; online, a database
/// without a version table starts from a checkpoint when one fits (unless `checkpoint` is Never).
MigrationResult run_upgrade(Workspace& workspace, const MigrateOptions& options,
                            CheckpointUse checkpoint = CheckpointUse::Allowed);

}  // namespace migrator::command
