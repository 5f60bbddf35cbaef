#pragma once
// `migrator check`: do the models match the database at its current revision? The drift gate for CI.

#include "migrator/command/command.hpp"
#include "migrator/schema/operations.hpp"

namespace migrator::command {

/// Options of `check`.
struct CheckOptions {
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `check`: exit 0 when the models match, 1 when operations are pending, 2 on errors.
CommandAction setup_check(CLI::App& root, Workspace& workspace);

/// The operations that would turn the database, as it is, into the models; empty when they match.
std::vector<schema::PlannedOperation> run_check(Workspace& workspace, const CheckOptions& options);

}  // namespace migrator::command
