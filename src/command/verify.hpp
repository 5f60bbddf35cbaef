#pragma once
// `migrator verify [--accept REV|all]`: applied scripts against the checksums in the history table.

#include <optional>
#include <string>
#include <vector>

#include "command/command.hpp"
#include "render/integrity_report.hpp"
#include "runtime/history_table.hpp"
#include "runtime/integrity_check.hpp"

namespace migrator::command {

/// Options of `verify`.
struct VerifyOptions {
    std::optional<std::string> accept;  // a revision, or "all"
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `verify`.
CommandAction setup_verify(CLI::App& root, Workspace& workspace);

/// Compares (after recording the accepted checksums, under the lock) and reports.
render::VerifyReport run_verify(Workspace& workspace, const VerifyOptions& options);

/// The version table's rows as stored (unknown ids included); never creates the table.
std::vector<std::string> read_version_rows(Workspace& workspace);

/// Applied revisions of `version_rows` against the history table's checksums; never creates a table.
runtime::IntegrityReport inspect_applied_scripts(Workspace& workspace,
                                                 const std::vector<std::string>& version_rows);

/// A revision's comparison as reported.
render::VerifyEntry to_verify_entry(const runtime::RevisionIntegrity& integrity);

}  // namespace migrator::command
