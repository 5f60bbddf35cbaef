#pragma once
// `migrator stamp TARGET`: set the version table without running any migration.

#include <string>

#include "command/command.hpp"
#include "command/migrate.hpp"

namespace migrator::command {

/// Whether stamp first empties the version table (for a table naming unknown revisions).
enum class StampPurgeOption { Keep, Purge };

/// Options of `stamp`.
struct StampOptions {
    std::string target;
    SqlOutput sql = SqlOutput::Off;
    StampPurgeOption purge = StampPurgeOption::Keep;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `stamp`.
CommandAction setup_stamp(CLI::App& root, Workspace& workspace);

/// Moves the version table to the target, creating the table when missing.
MigrationResult run_stamp(Workspace& workspace, const StampOptions& options);

}  // namespace migrator::command
