#pragma once
// `migrator init DIR`: a new script directory plus a starter migrator.yaml.

#include <filesystem>

#include "migrator/command/command.hpp"
#include "migrator/render/change_report.hpp"

namespace migrator::command {

/// Options of `init`.
struct InitOptions {
    std::filesystem::path directory;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// Registers `init`.
CommandAction setup_init(CLI::App& root, Workspace& workspace);

/// Creates DIR, DIR/versions and DIR/script.sql.tmpl, and the config file when it does not exist yet.
/// Lists what it created: the directory first, then the template, then the config file.
render::ChangeReport run_init(Workspace& workspace, const InitOptions& options);

}  // namespace migrator::command
