#pragma once
// `migrator status`: where the database is, the heads, what `upgrade heads` would run, changed scripts
// and the last history rows.

#include <cstddef>

#include "command/command.hpp"
#include "render/integrity_report.hpp"

namespace migrator::command {

/// Options of `status`.
struct StatusOptions {
    std::size_t recent = 5;  // history rows shown
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `status`.
CommandAction setup_status(CLI::App& root, Workspace& workspace);

/// Reads everything; creates nothing.
render::StatusReport run_status(Workspace& workspace, const StatusOptions& options);

}  // namespace migrator::command
