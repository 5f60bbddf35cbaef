#pragma once
// `upgrade` on a fresh database through the newest checkpoint that fits its target.

#include <optional>
#include <string>

#include "command/migrate.hpp"

namespace migrator::command {

/// Whether `upgrade` may start a fresh database from a checkpoint (`--no-checkpoint`: never).
enum class CheckpointUse { Allowed, Never };

/// Online, on a database without a version table: runs the checkpoint that skips the most of the way
/// to `request.target`, records its revision, then runs the scripts after it, and returns what it did.
/// Returns nullopt, touching nothing, when the version table exists or no checkpoint of the dialect fits.
std::optional<MigrationResult> upgrade_through_checkpoint(Workspace& workspace, const PlanRequest& request,
                                                          const std::string& tag);

}  // namespace migrator::command
