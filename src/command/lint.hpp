#pragma once
// `migrator lint [-r START:END] [--all] [REV...]`: risky SQL in the scripts, before it runs anywhere.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "command/command.hpp"
#include "lint/lint.hpp"
#include "render/lint_report.hpp"

namespace migrator::command {

/// How `lint` prints its findings.
enum class LintFormat { Text, Json, Github };

/// Which scripts `lint` checks: the unapplied ones by default.
enum class LintScope { Unapplied, All };

/// Options of `lint`.
struct LintOptions {
    std::optional<std::string> range;  // -r START:END, as `history` takes it
    LintScope scope = LintScope::Unapplied;
    std::vector<std::string> revisions;  // REV...
    LintFormat format = LintFormat::Text;
};

/// Registers `lint`: exit 1 when an error-level finding remains.
CommandAction setup_lint(CLI::App& root, Workspace& workspace);

/// Lints the chosen scripts, oldest first.
render::LintReport run_lint(Workspace& workspace, const LintOptions& options);

/// Lints one script file (the one `revision --autogenerate` just wrote).
std::vector<lint::Finding> lint_file(Workspace& workspace, const std::filesystem::path& path,
                                     const std::string& revision);

}  // namespace migrator::command
