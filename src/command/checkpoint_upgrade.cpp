#include "command/checkpoint_upgrade.hpp"

#include <fmt/format.h>

#include "runtime/checkpoint_image.hpp"
#include "runtime/checkpoint_plan.hpp"
#include "runtime/planner.hpp"
#include "runtime/version_table.hpp"
#include "script/checkpoint_file.hpp"
#include "script/script_loader.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace migrator::command {

namespace {

// SQLite: the database image `squash` stored beside the script, when it was made from this very text.
bool restore_image(Workspace& workspace, const std::filesystem::path& script, std::string_view text,
                   const std::string& revision) {
    if (workspace.dialect().kind() != dialect::DialectKind::Sqlite) return false;
    const auto image = runtime::checkpoint_image_path(script, text);
    if (!std::filesystem::exists(image)) {
        for (const auto& stale : runtime::stale_checkpoint_images(script, text)) {
            log::info(
                "checkpoint: the database image {} was made from another text of {} (edited since squash); "
                "not using it",
                stale.string(), script.string());
        }
    }
    const auto& config = workspace.config();
    if (!runtime::restore_checkpoint_image(workspace.connection(), image, revision,
                                           {config.version_table_schema, config.version_table})) {
        return false;
    }
    log::info("checkpoint: copied the database image {}", image.string());
    return true;
}

}  // namespace

std::optional<MigrationResult> upgrade_through_checkpoint(Workspace& workspace, const PlanRequest& request,
                                                          const std::string& tag) {
    if (request.mode != runtime::Mode::Online || !request.current_heads.empty()) return std::nullopt;
    const auto& config = workspace.config();
    const auto& dialect = workspace.dialect();
    const auto directory = script::checkpoint_directory(config.script_location);
    const auto checkpoints = script::list_checkpoints(directory, dialect.name());
    if (checkpoints.empty()) return std::nullopt;
    // An empty version table means the database was migrated before (and downgraded to base): only a
    // database that never had one is fresh.
    runtime::VersionTable versions(workspace.connection(), dialect, config.version_table_schema,
                                   config.version_table);
    if (versions.exists()) return std::nullopt;

    const auto& revisions = workspace.revisions();
    const auto full = runtime::plan_upgrade(revisions, {}, request.target);
    auto choice =
        runtime::choose_checkpoint(revisions, full, request.target, checkpoints, directory.string());
    if (!choice) {
        log::debug("no checkpoint in {} leads to {}", directory.string(), request.target);
        return std::nullopt;
    }
    const auto path = directory / script::checkpoint_file_name(choice->revision, dialect.name());
    auto text = workspace.script_files().read(path);
    if (!text) throw Error(text.error().message);
    const auto checkpoint = script::parse_checkpoint(*text, path.string(), dialect.kind()).value_or_throw();
    if (checkpoint.revision != choice->revision) {
        throw Error(fmt::format("{}: the header says checkpoint {} but the file name says {}", path.string(),
                                checkpoint.revision, choice->revision));
    }
    log::info("checkpoint: running {} for {} ({} migration(s) not replayed)", path.string(), choice->revision,
              choice->skipped_steps);
    const auto started = std::chrono::steady_clock::now();
    if (!restore_image(workspace, path, *text, choice->revision)) {
        runtime::apply_checkpoint(workspace.connection(), dialect, versions, checkpoint.statements,
                                  choice->revision, path.string());
    }
    const auto checkpoint_duration = std::chrono::steady_clock::now() - started;
    MigrationResult result;
    if (choice->rest.steps.empty()) {
        // execute_plan would say "nothing to do", which is not what just happened.
        log::info("done: the database is now at {}", choice->revision);
        result.heads_after = {choice->revision};
    } else {
        result = execute_plan(workspace, choice->rest, runtime::Mode::Online, tag);
    }
    result.heads_before.clear();
    result.checkpoint = path.string();
    result.duration += checkpoint_duration;
    return result;
}

}  // namespace migrator::command
