#pragma once
// `migrator log [-n N] [-r REV]`: the history table, newest first.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "command/command.hpp"
#include "render/integrity_report.hpp"

namespace migrator::command {

/// Options of `log`.
struct LogOptions {
    std::size_t limit = 0;  // 0: every row
    std::optional<std::string> revision;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `log`.
CommandAction setup_log(CLI::App& root, Workspace& workspace);

/// The rows asked for; none when the history table does not exist (it is never created here).
std::vector<HistoryEntry> run_log(Workspace& workspace, const LogOptions& options);

}  // namespace migrator::command
