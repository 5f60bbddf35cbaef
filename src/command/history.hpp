#pragma once
// `migrator history`: the revisions, newest first.

#include <string>

#include "command/command.hpp"

namespace migrator::command {

/// Whether history marks the revisions the database is at (needs a connection).
enum class CurrentIndicator { Off, On };

/// Options of `history`.
struct HistoryOptions {
    std::string range;  // "START:END", either side optional; empty for everything
    bool verbose = false;
    CurrentIndicator indicate_current = CurrentIndicator::Off;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `history`.
CommandAction setup_history(CLI::App& root, Workspace& workspace);

/// The revisions in the range, newest first. Connects only for --indicate-current or a range
/// that names `current`.
render::RevisionListing run_history(Workspace& workspace, const HistoryOptions& options);

}  // namespace migrator::command
