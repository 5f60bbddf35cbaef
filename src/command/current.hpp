#pragma once
// `migrator current`: the revision(s) the database is at.

#include "command/command.hpp"

namespace migrator::command {

/// Whether `current` should fail unless the database is at every head.
enum class HeadsCheck { Off, On };

/// Options of `current`.
struct CurrentOptions {
    bool verbose = false;
    HeadsCheck check_heads = HeadsCheck::Off;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// The database's heads, and whether they are exactly the script heads.
struct CurrentResult {
    render::RevisionListing listing;
    bool at_heads = false;
    std::vector<std::string> missing_heads;  // script heads the database has not reached
};

/// Registers `current`.
CommandAction setup_current(CLI::App& root, Workspace& workspace);

/// Reads the version table (never creates it).
CurrentResult run_current(Workspace& workspace, const CurrentOptions& options);

}  // namespace migrator::command
