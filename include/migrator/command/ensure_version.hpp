#pragma once
// `migrator ensure_version`: create the version table if it does not exist.

#include "migrator/command/command.hpp"
#include "migrator/command/migrate.hpp"
#include "migrator/render/change_report.hpp"

namespace migrator::command {

/// Options of `ensure_version`.
struct EnsureVersionOptions {
    SqlOutput sql = SqlOutput::Off;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `ensure_version`.
CommandAction setup_ensure_version(CLI::App& root, Workspace& workspace);

/// Creates the version table when missing (offline: prints its CREATE TABLE).
/// Online, lists the tables it created and those that existed.
render::ChangeReport run_ensure_version(Workspace& workspace, const EnsureVersionOptions& options);

}  // namespace migrator::command
