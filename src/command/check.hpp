#pragma once
// `migrator check`: do the models match the database at its current revision? The drift gate for CI.

#include "command/command.hpp"
#include "schema/operations.hpp"

namespace migrator::command {

/// Options of `check`.
struct CheckOptions {
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `check`: exit 0 when the models match, 1 when operations are pending, 2 on errors.
CommandAction setup_check(CLI::App& root, Workspace& workspace);

/// What check found: the operations that would turn the database, as it is, into the models, and the
/// objects the comparison does not cover. The models match only when both are empty.
struct CheckResult {
    std::vector<schema::PlannedOperation> operations;
    std::vector<schema::UncomparedObject> not_compared;
};

CheckResult run_check(Workspace& workspace, const CheckOptions& options);

}  // namespace migrator::command
