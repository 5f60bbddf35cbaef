#include "command/migrate.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <pwd.h>
#include <unistd.h>

#include <array>
#include <iostream>

#include "command/command.hpp"
#include "db/dry_run_connection.hpp"
#include "db/offline_connection.hpp"
#include "runtime/history_table.hpp"
#include "runtime/integrity_check.hpp"
#include "runtime/migration_context.hpp"
#include "runtime/planner.hpp"
#include "runtime/preflight.hpp"
#include "script/script_loader.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace migrator::command {

PlanRequest make_plan_request(Workspace& workspace, const std::string& target, SqlOutput sql,
                              const char* command_name, RangeRequirement range_requirement, DryRun dry_run) {
    PlanRequest request;
    request.dry_run = dry_run;
    const auto colon = target.find(':');
    if (dry_run == DryRun::On) {
        if (sql == SqlOutput::On) throw Error("--dry-run and --sql cannot be combined", ExitCode::Usage);
        if (colon != std::string::npos) {
            throw Error(fmt::format("range '{}' is only allowed with --sql (offline mode)", target),
                        ExitCode::Usage);
        }
        // No lock: a dry run changes nothing, and must not wait for a runner that does.
        workspace.revisions();
        request.current_heads = read_current_heads(workspace);
        request.target = target;
        return request;
    }
    if (sql == SqlOutput::Off) {
        if (colon != std::string::npos) {
            throw Error(fmt::format("range '{}' is only allowed with --sql (offline mode)", target),
                        ExitCode::Usage);
        }
        // The heads are read under the lock, so a second runner sees what the first one did;
        // the scripts are validated first, so bad input never waits for or touches the database.
        workspace.revisions();
        workspace.lock_database();
        request.current_heads = read_current_heads(workspace);
        request.target = target;
        return request;
    }
    request.mode = runtime::Mode::Offline;
    if (colon == std::string::npos && range_requirement == RangeRequirement::Required) {
        throw Error(fmt::format("{} with --sql requires <fromrev>:<torev>", command_name), ExitCode::Usage);
    }
    auto range = runtime::resolve_offline_range(workspace.revisions(), target);
    request.current_heads = std::move(range.start_heads);
    request.target = std::move(range.end);
    return request;
}

std::string history_actor() {
    const auto env = config::process_environment();
    if (auto actor = env("MIGRATOR_ACTOR"); actor && !actor->empty()) return *actor;
    std::string user;
    if (const passwd* entry = getpwuid(geteuid()); entry != nullptr && entry->pw_name != nullptr) {
        user = entry->pw_name;
    } else if (auto name = env("USER")) {
        user = *name;
    } else {
        user = std::to_string(geteuid());
    }
    std::array<char, 256> host{};
    if (gethostname(host.data(), host.size() - 1) != 0) return user;
    return user + "@" + host.data();
}

void verify_applied_scripts(Workspace& workspace, const PlanRequest& request, const runtime::Plan& plan,
                            VerifyScripts verify) {
    if (verify == VerifyScripts::Off || !workspace.config().verify) return;
    if (request.mode == runtime::Mode::Offline || plan.steps.empty()) return;
    const auto& config = workspace.config();
    runtime::HistoryTable history(workspace.connection(), workspace.dialect(), config.version_table_schema,
                                  config.history_table);
    const auto report = runtime::check_integrity(workspace.revisions(), request.current_heads,
                                                 history.recorded_checksums(), workspace.script_files());
    for (const auto* entry : report.in_state(runtime::ScriptState::DowngradeEdited)) {
        log::warn("the downgrade section of {} (revision {}) was edited since it was applied", entry->path,
                  entry->revision);
    }
    const auto edited = report.in_state(runtime::ScriptState::Edited);
    const auto missing = report.in_state(runtime::ScriptState::Missing);
    if (edited.empty() && missing.empty()) return;
    std::vector<std::string> problems;
    problems.reserve(edited.size() + missing.size());
    for (const auto* entry : edited) {
        problems.push_back(
            fmt::format("{} (revision {}) was edited since it was applied", entry->path, entry->revision));
    }
    for (const auto* entry : missing) {
        problems.push_back(fmt::format("revision {} is applied but its script is missing", entry->revision));
    }
    const std::string accept = edited.size() == 1 ? edited.front()->revision : std::string("all");
    throw Error(
        fmt::format("applied migration scripts changed: {}; nothing was run. Restore the scripts, or "
                    "run 'migrator verify --accept {}' to record the change, or pass --no-verify",
                    util::join(problems, "; "), accept));
}

namespace {

AppliedStep applied_step(const runtime::MigrationStep& step, std::chrono::nanoseconds duration) {
    AppliedStep applied;
    applied.kind = step.revision == nullptr                        ? StepKind::Stamp
                   : step.direction == runtime::Direction::Upgrade ? StepKind::Upgrade
                                                                   : StepKind::Downgrade;
    if (step.revision != nullptr) {
        applied.revision = std::string(step.revision->id());
        applied.message = step.revision->message();
    }
    for (const auto& change : step.version_changes) {
        if (change.kind != runtime::VersionChangeKind::Insert) applied.from.emplace_back(change.from);
        if (change.kind == runtime::VersionChangeKind::Insert ||
            change.kind == runtime::VersionChangeKind::Update) {
            applied.to.emplace_back(change.to);
        }
    }
    applied.duration = duration;
    return applied;
}

}  // namespace

MigrationResult execute_plan(Workspace& workspace, const runtime::Plan& plan, runtime::Mode mode,
                             const std::string& tag, DryRun dry_run) {
    // Every script of the plan is checked before the first statement runs or is printed: a malformed
    // one leaves the database unchanged instead of stopping the run halfway.
    // The steps it prepared are kept for the run, up to a memory budget, so that those scripts are read once.
    auto checked = runtime::check_plan_scripts(plan, workspace.script_files(), workspace.dialect().kind(),
                                               runtime::default_kept_bytes)
                       .value_or_throw();
    const auto& config = workspace.config();
    runtime::MigrationOptions options;
    options.transaction_scope = config.transaction_per_migration ? runtime::TransactionScope::PerMigration
                                                                 : runtime::TransactionScope::WholeCommand;
    options.mode = mode;
    options.version_table = config.version_table;
    options.version_table_schema = config.version_table_schema;
    options.interruption = workspace.options().interruption;
    options.history_table = config.history_table;
    options.actor = history_actor();
    options.script_files = &workspace.script_files();
    if (!tag.empty()) log::info("tag: {}", tag);

    MigrationResult result;
    result.heads_before = plan.heads_before;
    if (mode == runtime::Mode::Offline) {
        db::OfflineConnection offline(workspace.out());
        if (!tag.empty()) offline.comment(fmt::format("tag: {}", util::printable(tag)));
        runtime::MigrationContext(offline, workspace.dialect(), options)
            .run(plan, std::move(checked.prepared));
        result.heads_after = plan.heads_after;
        return result;
    }
    if (dry_run == DryRun::On) {
        // The same run as online, reading the live database; every change is printed instead.
        db::DryRunConnection printing(workspace.out(), workspace.connection());
        if (!tag.empty()) printing.comment(fmt::format("tag: {}", util::printable(tag)));
        runtime::MigrationContext(printing, workspace.dialect(), options)
            .run(plan, std::move(checked.prepared));
        log::info("dry run: {} step(s) from {}; nothing was changed", plan.steps.size(),
                  describe_heads(plan.heads_before));
        result.heads_after = plan.heads_before;
        return result;
    }
    options.lock = &workspace.lock_database();
    const auto& global = workspace.options();
    render::Progress progress(std::cerr, global.progress, plan.steps.size(), global.terminal_width);
    std::size_t started = 0;
    options.on_step_started = [&](const std::string& announcement) {
        progress.step_started(announcement);
        workspace.step_started(++started, plan.steps.size());
    };
    const bool keep_steps = global.step_records == StepRecords::Kept;
    if (keep_steps) result.steps.reserve(plan.steps.size());
    const auto completed = [&](const runtime::MigrationStep& step, std::chrono::nanoseconds duration) {
        if (!keep_steps) {
            workspace.step_completed(applied_step(step, duration));
            return;
        }
        result.steps.push_back(applied_step(step, duration));
        workspace.step_completed(result.steps.back());
    };
    const auto done = runtime::MigrationContext(workspace.connection(), workspace.dialect(), options)
                          .run(plan, std::move(checked.prepared), completed);
    progress.finish();
    result.heads_after = plan.heads_after;
    result.duration = std::chrono::milliseconds(progress.elapsed_ms());
    if (plan.steps.empty()) {
        log::info("nothing to do: the database is already at {}", describe_heads(plan.heads_after));
    } else {
        log::info("done: {} step(s) in {}; the database is now at {}", done,
                  render::format_duration(progress.elapsed_ms()), describe_heads(plan.heads_after));
    }
    return result;
}

void check_json_output(render::OutputFormat format, SqlOutput sql, DryRun dry_run) {
    if (format != render::OutputFormat::Json) return;
    if (sql == SqlOutput::On)
        throw Error("--format json cannot be combined with --sql, which prints SQL", ExitCode::Usage);
    if (dry_run == DryRun::On)
        throw Error("--format json cannot be combined with --dry-run, which prints SQL", ExitCode::Usage);
}

void print_report(Workspace& workspace, const MigrationResult& result, const char* command,
                  render::OutputFormat format) {
    if (format != render::OutputFormat::Json) return;
    render::print_json(workspace.out(), result, command);
}

void add_migrate_options(CLI::App& command, MigrateOptions& options, const std::string& target_help,
                         Workspace& workspace) {
    command.add_option("target", options.target, target_help)->required();
    command.add_flag(
        "--sql", [&options](std::int64_t) { options.sql = SqlOutput::On; },
        "Print the SQL instead of running it (offline mode; does not connect)");
    command.add_option("--tag", options.tag, "An arbitrary tag, echoed in the log and the --sql output");
    command.add_flag(
        "--dry-run", [&options](std::int64_t) { options.dry_run = DryRun::On; },
        "Connect, read where the database is and print the SQL that would run from there; change nothing");
    command.add_flag(
        "--no-verify", [&options](std::int64_t) { options.verify = VerifyScripts::Off; },
        "Do not check applied scripts against their recorded checksums first");
    add_format_option(command, options.format, workspace);
}

}  // namespace migrator::command
