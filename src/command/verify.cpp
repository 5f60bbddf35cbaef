#include "command/verify.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "command/fleet.hpp"
#include "command/migrate.hpp"
#include "script/script_loader.hpp"
#include "util/log.hpp"

namespace migrator::command {

namespace {

runtime::HistoryTable history_table(Workspace& workspace) {
    const auto& config = workspace.config();
    return {workspace.connection(), workspace.dialect(), config.version_table_schema, config.history_table};
}

// Records the current checksums of the chosen applied revisions as `accept` rows, in one transaction.
std::vector<std::string> accept_checksums(Workspace& workspace, const std::string& accept) {
    const auto& revisions = workspace.revisions();
    workspace.lock_database();
    const auto rows = read_version_rows(workspace);
    const auto report = inspect_applied_scripts(workspace, rows);
    std::vector<const runtime::RevisionIntegrity*> chosen;
    if (accept == "all") {
        for (const auto& entry : report.revisions) {
            if (entry.state != runtime::ScriptState::Unchanged &&
                entry.state != runtime::ScriptState::Missing)
                chosen.push_back(&entry);
        }
    } else {
        const std::string id(revisions.resolve(accept).id());
        for (const auto& entry : report.revisions) {
            if (entry.revision == id) chosen.push_back(&entry);
        }
        if (chosen.empty()) {
            throw Error(fmt::format("--accept {}: revision {} is not applied to the database", accept, id));
        }
    }
    std::vector<std::string> accepted;
    if (chosen.empty()) return accepted;
    auto& connection = workspace.connection();
    const auto& dialect = workspace.dialect();
    auto history = history_table(workspace);
    const std::string actor = history_actor();
    connection.execute(dialect.begin_transaction());
    try {
        history.ensure();
        for (const auto* entry : chosen) {
            runtime::HistoryRecord record;
            record.revision = entry->revision;
            record.direction = runtime::HistoryDirection::Accept;
            record.upgrade_checksum = entry->current_upgrade;
            record.downgrade_checksum = entry->current_downgrade;
            record.started_at = runtime::utc_timestamp_now();
            record.actor = actor;
            history.record(record);
            accepted.push_back(entry->revision);
        }
        connection.execute(dialect.commit_transaction());
    } catch (const db::DatabaseError& error) {
        try {
            connection.execute(dialect.rollback_transaction());
        } catch (const db::DatabaseError& rollback) {
            log::warn("rollback failed: {}", rollback.what());
        }
        throw Error(fmt::format("recording the accepted checksums in {} failed: {}", history.qualified_name(),
                                error.what()));
    }
    return accepted;
}

}  // namespace

CommandAction setup_verify(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<VerifyOptions>();
    auto* command = root.add_subcommand(
        "verify",
        "Compare applied scripts with the checksums recorded in the history table (exit 1 on drift)");
    command->add_option(
        "--accept", options->accept,
        "Record the current checksums of REV (or 'all' changed ones) as accepted, then verify");
    add_format_option(*command, options->format, workspace);
    auto selection = std::make_shared<TargetSelection>();
    add_target_options(*command, *selection);
    return [options, selection, &workspace] {
        return run_on_targets(workspace, *selection, "verify", options->format,
                              [&options](Workspace& target) {
                                  const auto report = run_verify(target, *options);
                                  if (options->format == render::OutputFormat::Json) {
                                      render::print_json(target.out(), report);
                                  } else {
                                      render::print_text(target.out(), report);
                                  }
                                  return report.drift ? ExitCode::NotUpToDate : ExitCode::Ok;
                              });
    };
}

std::vector<std::string> read_version_rows(Workspace& workspace) {
    const auto& config = workspace.config();
    (void)workspace.revisions();  // bad scripts are reported before connecting
    return runtime::VersionTable(workspace.connection(), workspace.dialect(), config.version_table_schema,
                                 config.version_table)
        .heads();
}

runtime::IntegrityReport inspect_applied_scripts(Workspace& workspace,
                                                 const std::vector<std::string>& version_rows) {
    auto history = history_table(workspace);
    return runtime::check_integrity(workspace.revisions(), version_rows, history.recorded_checksums(),
                                    workspace.script_files());
}

render::VerifyEntry to_verify_entry(const runtime::RevisionIntegrity& integrity) {
    return {integrity.revision,
            integrity.path,
            std::string(runtime::state_name(integrity.state)),
            integrity.recorded_upgrade,
            integrity.current_upgrade,
            integrity.recorded_downgrade,
            integrity.current_downgrade};
}

render::VerifyReport run_verify(Workspace& workspace, const VerifyOptions& options) {
    render::VerifyReport report;
    if (options.accept) report.accepted = accept_checksums(workspace, *options.accept);
    const auto integrity = inspect_applied_scripts(workspace, read_version_rows(workspace));
    for (const auto& entry : integrity.revisions) report.entries.push_back(to_verify_entry(entry));
    report.drift = integrity.has_drift();
    return report;
}

}  // namespace migrator::command
