#pragma once
// `migrator revision -m MSG`: a new, empty migration script.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migrator/command/command.hpp"
#include "migrator/schema/operations.hpp"

namespace migrator::command {

/// Whether `revision` fills the script from the models' diff with the database.
enum class Autogenerate { Off, On };

/// Options of `revision`.
struct RevisionOptions {
    std::string message;
    std::string head = "head";
    bool splice = false;
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;
    std::optional<std::filesystem::path> version_path;
    std::optional<std::string> rev_id;
    Autogenerate autogenerate = Autogenerate::Off;
    render::OutputFormat format = render::OutputFormat::Text;
};

/// What `revision` did: the new script, and with --autogenerate the operations written into it.
struct RevisionResult {
    std::optional<std::filesystem::path> path;  // nullopt: --autogenerate found no changes, nothing written
    std::string revision;                       // the new script's id
    std::vector<std::string> down_revisions;
    std::vector<schema::PlannedOperation> operations;
};

/// Registers `revision`.
CommandAction setup_revision(CLI::App& root, Workspace& workspace);

/// Writes the new script; with --autogenerate only when the models differ from the database.
RevisionResult run_revision(Workspace& workspace, const RevisionOptions& options);

}  // namespace migrator::command
