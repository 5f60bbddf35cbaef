#include "command/test.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <iostream>
#include <mutex>

#include "command/autogenerate.hpp"
#include "command/migrate.hpp"
#include "command/round_trip.hpp"
#include "db/connect.hpp"
#include "dialect/dialect.hpp"
#include "script/script_loader.hpp"
#include "util/error.hpp"
#include "util/interruption.hpp"
#include "util/log.hpp"

namespace migrator::command {

namespace {

// The scratch connection a signal interrupts; cleared under the lock before the connection closes, so
// that the signal watcher's thread never touches a closed one.
class InterruptTarget {
public:
    void set(db::Connection* connection) {
        const std::lock_guard lock(mutex_);
        connection_ = connection;
    }
    void interrupt() {
        const std::lock_guard lock(mutex_);
        if (connection_ != nullptr) connection_->interrupt();
    }

private:
    std::mutex mutex_;
    db::Connection* connection_ = nullptr;
};

// The scripts run on the scratch database's dialect; say so when the configured database has another.
void warn_about_dialect(Workspace& workspace, dialect::DialectKind scratch) {
    if (workspace.options().url) return;
    const auto configured = config::parse_database_url(workspace.config().database_url);
    if (!configured || configured->dialect == scratch) return;
    log::warn(
        "the configured database is {}, but the test runs on SQLite; pass --url with a {} server URL to "
        "test the scripts where they run",
        dialect::dialect_for(configured->dialect).name(), dialect::dialect_for(configured->dialect).name());
}

}  // namespace

CommandAction setup_test(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<TestOptions>();
    auto* command = root.add_subcommand("test",
                                        "Check every migration's round trip in a scratch database (a SQLite "
                                        "temporary file, or with --url a new "
                                        "database on that PostgreSQL or MySQL server): upgrade, downgrade, "
                                        "compare the schema, upgrade again; "
                                        "exit 1 on the first failure");
    command->add_option("-r,--rev-range", options->range,
                        "START:END, START: or END (from base): the revisions to test (default: all)");
    command->add_flag(
        "--allow-multiple-heads",
        [options](std::int64_t) { options->multiple_heads = MultipleHeads::Allowed; },
        "Test a graph with several heads instead of failing");
    add_format_option(*command, options->format, workspace);
    return [options, &workspace] {
        const auto report = run_test(workspace, *options, db::connect);
        if (options->format == render::OutputFormat::Json) {
            render::print_json(workspace.out(), report);
        } else {
            render::print_text(workspace.out(), report);
        }
        return report.passed() ? ExitCode::Ok : ExitCode::NotUpToDate;
    };
}

render::TestReport run_test(Workspace& workspace, const TestOptions& options, const ScratchConnect& connect) {
    const auto started = std::chrono::steady_clock::now();
    const auto& config = workspace.config();
    const auto& revisions = workspace.revisions();
    // The server is parsed before anything runs; the configured database is never opened.
    std::optional<config::DatabaseUrl> server;
    if (workspace.options().url)
        server = config::parse_database_url(*workspace.options().url).value_or_throw();
    const auto kind = server ? server->dialect : dialect::DialectKind::Sqlite;
    const auto& dialect = dialect::dialect_for(kind);
    warn_about_dialect(workspace, kind);

    render::TestReport report;
    report.scratch =
        server ? fmt::format("a new database on {}", server->redacted()) : "a SQLite temporary file";
    const auto finish = [&] {
        report.duration_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                .count();
        return report;
    };
    const RoundTrip round_trip(revisions, options.range);
    report.revisions = round_trip.size();
    report.heads = round_trip.end_heads();
    // The graph first: nothing is created for a test that cannot pass.
    if (revisions.heads().size() > 1 && options.multiple_heads == MultipleHeads::Refused) {
        render::TestFailure failure;
        failure.check = render::TestCheck::Heads;
        failure.message = fmt::format(
            "the scripts have {} heads ({}); merge them with 'migrator merge heads', or pass "
            "--allow-multiple-heads",
            revisions.heads().size(), describe_heads(revisions.heads()));
        report.failure = std::move(failure);
        return finish();
    }
    if (auto broken = round_trip.check_scripts(script::disk_script_files(), kind)) {
        render::TestFailure failure;
        failure.check = render::TestCheck::Scripts;
        failure.message = std::move(*broken);
        report.failure = std::move(failure);
        return finish();
    }

    RoundTripSettings settings;
    settings.migration.transaction_scope = config.transaction_per_migration
                                               ? runtime::TransactionScope::PerMigration
                                               : runtime::TransactionScope::WholeCommand;
    settings.migration.version_table = config.version_table;
    settings.migration.version_table_schema = config.version_table_schema;
    settings.migration.history_table = config.history_table;
    settings.migration.actor = history_actor();
    settings.migration.interruption = workspace.options().interruption;
    settings.filter = without_history_table(config);
    settings.include_schemas = config.include_schemas;
    settings.connect = connect;
    const auto& global = workspace.options();
    render::Progress progress(std::cerr, global.progress, round_trip.size(), global.terminal_width);
    settings.on_revision_started = [&progress](const std::string& announcement) {
        progress.step_started(announcement);
    };

    InterruptTarget target;
    // Held from before the database exists until it is gone: a signal then stops the test between
    // statements, and the scratch database is still removed (without it the process would end at once).
    std::optional<util::Interruption::CancelScope> scope;
    if (global.interruption != nullptr)
        scope.emplace(*global.interruption, [&target] { target.interrupt(); });
    try {
        auto scratch =
            server ? ScratchDatabase::on_server(*server, connect) : ScratchDatabase::sqlite_file(connect);
        report.scratch = scratch->description();
        target.set(&scratch->connection());
        try {
            round_trip.run(scratch->connection(), dialect, settings, report);
        } catch (...) {
            target.set(nullptr);
            throw;
        }
        target.set(nullptr);
    } catch (const util::Interrupted& stopped) {
        progress.finish();
        throw util::Interrupted(
            "interrupted: migrator test stopped before it finished; nothing outside its scratch database "
            "changed",
            stopped.exit_code());
    } catch (const Error&) {
        progress.finish();
        if (global.interruption != nullptr && global.interruption->requested()) {
            throw util::Interrupted(
                "interrupted: migrator test stopped before it finished; nothing outside its scratch database "
                "changed",
                global.interruption->exit_code());
        }
        throw;
    }
    progress.finish();
    return finish();
}

}  // namespace migrator::command
