#include "runtime/migration_context.hpp"

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/history_table.hpp"
#include "runtime/preflight.hpp"
#include "runtime/step_preparer.hpp"
#include "script/revision_map.hpp"
#include "script/script_loader.hpp"
#include "util/error.hpp"
#include "util/interruption.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace migrator::runtime {

namespace {

constexpr std::size_t statement_excerpt_length = 60;

// The statement on one line, cut short enough for an error message.
std::string excerpt(std::string_view sql) {
    std::string out;
    bool pending_space = false;
    for (const char c : sql) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    if (out.size() <= statement_excerpt_length) return out;
    std::size_t cut = statement_excerpt_length;
    // Do not split a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) --cut;
    return out.substr(0, cut) + "...";
}

const script::ScriptFiles& script_files_of(const MigrationOptions& options) {
    return options.script_files != nullptr ? *options.script_files : script::disk_script_files();
}

// State of one run: which transaction is open and which steps are durable.
class Runner {
public:
    Runner(db::Connection& connection, const dialect::Dialect& dialect, const MigrationOptions& options,
           const Plan& plan, PreparedSteps prepared, std::unique_ptr<script::ScriptSequence> rest,
           const StepCompleted& on_step_completed)
        : connection_(connection),
          dialect_(dialect),
          options_(options),
          versions_(connection, dialect, options.version_table_schema, options.version_table, options.mode),
          history_(connection, dialect, options.version_table_schema, options.history_table, options.mode),
          on_step_completed_(on_step_completed),
          // Offline there is no table to look at; like Alembic, create it only when starting from base.
          version_table_pending_(options.mode == Mode::Online || plan.heads_before.empty()),
          // Online, the scripts of the steps not prepared already are read and parsed while the
          // database commits; offline, there is no wait to fill.
          steps_(plan, std::move(prepared), std::move(rest), dialect.kind(),
                 options.mode == Mode::Online ? Preparation::Ahead : Preparation::Inline) {
        // Offline nothing runs long enough to stop; a signal ends the process as it would any command.
        if (options.mode == Mode::Online && options.interruption != nullptr) {
            interruption_ = options.interruption;
            cancel_scope_.emplace(
                *interruption_, [&connection] { connection.interrupt(); },
                [&connection] { connection.clear_interrupt(); });
        }
    }

    std::size_t run(const Plan& plan) {
        if (options_.transaction_scope == TransactionScope::WholeCommand) {
            guarded(version_table_subject(), [&] { begin(); });
        }
        for (const auto& step : plan.steps) {
            if (interrupted()) stop();
            guarded(version_table_subject(), [&] { check_lock(); });
            run_step(step);
            last_statement_ = nullptr;  // it pointed into the step's script
        }
        guarded(plan.steps.empty() ? version_table_subject() : last_subject_, [&] {
            if (version_table_pending_) begin();
            if (in_transaction_) commit();
        });
        // A signal that came while the last COMMIT ran still ends the command as interrupted.
        if (interrupted()) stop();
        return completed_;
    }

private:
    void run_step(const MigrationStep& step) {
        PreparedStep prepared = steps_.next();
        current_ = Current{&step, prepared.upgrade_checksum, prepared.downgrade_checksum, utc_timestamp_now(),
                           std::chrono::steady_clock::now()};
        last_subject_ = std::move(prepared.subject);
        last_statement_ = nullptr;
        const std::string& subject = last_subject_;
        // The failure names the file (and line): "error: versions/0002_x.sql:7: unterminated /* comment".
        if (prepared.failure) fail_with(*prepared.failure, ErrorKind::Invalid);
        const auto& statements = prepared.statements;
        const bool transactional = prepared.transaction == script::TransactionMode::Transactional;

        if (!transactional) {
            guarded(subject, [&] {
                if (in_transaction_) commit();
                if (version_table_pending_) {
                    begin();
                    commit();
                }
            });
        }
        if (options_.on_step_started) {
            options_.on_step_started(prepared.announcement);
        } else {
            log::info("{}", prepared.announcement);
        }
        connection_.comment(prepared.announcement);

        if (!transactional) {
            outside_transaction_ = true;
            executed_in_unit_ = 0;
            last_statement_ = nullptr;
            run_statements(subject, statements);
            outside_transaction_ = false;
            guarded(subject, [&] { begin(); });
            apply_version_changes(subject, step);
            record_history(subject, HistoryOutcome::Success, std::nullopt);
            uncommitted_.emplace_back(&step, std::chrono::steady_clock::now() - current_.started);
            guarded(subject, [&] { commit(); });
            return;
        }

        if (!in_transaction_) guarded(subject, [&] { begin(); });
        run_statements(subject, statements);
        apply_version_changes(subject, step);
        record_history(subject, HistoryOutcome::Success, std::nullopt);
        uncommitted_.emplace_back(&step, std::chrono::steady_clock::now() - current_.started);
        if (options_.transaction_scope == TransactionScope::PerMigration) guarded(subject, [&] { commit(); });
    }

    std::string version_table_subject() const { return "version table " + versions_.qualified_name(); }

    void run_statements(const std::string& subject, const std::vector<script::Statement>& statements) {
        for (const auto& statement : statements) {
            if (interrupted()) stop();
            last_statement_ = &statement;
            try {
                connection_.execute(statement.sql);
            } catch (const db::DatabaseError& error) {
                // The interrupt made it fail; it may still have changed what cannot be rolled back.
                if (interrupted()) stop(StatementState::Started);
                fail(subject, fmt::format("failed at line {}: {}: {}", statement.line, excerpt(statement.sql),
                                          error.what()));
            }
            ++executed_in_unit_;
            // A statement that returned early (MySQL's SLEEP under KILL QUERY) must not be committed.
            if (interrupted()) stop();
        }
    }

    void apply_version_changes(const std::string& subject, const MigrationStep& step) {
        bool purged = false;
        for (const auto& change : step.version_changes) {
            // Each row a purge removes is listed for the log line; one DELETE removes them all.
            if (change.kind == VersionChangeKind::Purge && std::exchange(purged, true)) continue;
            try {
                versions_.apply(change);
            } catch (const Error& error) {
                if (interrupted()) stop();
                fail(subject, fmt::format("failed updating the version table: {}", error.what()));
            }
        }
    }

    // The step's history rows, in the transaction of its version-table change (a stamp: one row per
    // revision it moves to, or removes).
    void record_history(const std::string& subject, HistoryOutcome outcome,
                        const std::optional<std::string>& error) {
        if (current_.step == nullptr) return;
        const MigrationStep& step = *current_.step;
        current_.step = nullptr;  // a failure to write the row must not write another
        HistoryRecord record;
        record.started_at = current_.started_at;
        record.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - current_.started)
                                 .count();
        record.outcome = outcome;
        record.error = error;
        record.actor = options_.actor;
        try {
            if (step.revision != nullptr) {
                record.revision = std::string(step.revision->id());
                record.direction = step.direction == Direction::Upgrade ? HistoryDirection::Upgrade
                                                                        : HistoryDirection::Downgrade;
                record.upgrade_checksum = current_.upgrade_checksum;
                record.downgrade_checksum = current_.downgrade_checksum;
                history_.record(record);
                return;
            }
            record.direction = HistoryDirection::Stamp;
            for (const auto& change : step.version_changes) {
                record.revision =
                    std::string(change.kind == VersionChangeKind::Delete ? change.from : change.to);
                history_.record(record);
            }
        } catch (const db::DatabaseError& failure) {
            if (outcome == HistoryOutcome::Failed) throw;
            fail(subject, fmt::format("failed writing the history table: {}", failure.what()));
        }
    }

    // The version and history tables are created in the first transaction, before any migration's SQL.
    void begin() {
        connection_.execute(options_.mode == Mode::Online ? dialect_.begin_write_transaction()
                                                          : dialect_.begin_transaction());
        in_transaction_ = true;
        executed_in_unit_ = 0;
        last_statement_ = nullptr;
        if (version_table_pending_) {
            version_table_pending_ = false;
            versions_.ensure();
        }
        if (history_pending_) {
            history_pending_ = false;
            history_.ensure();
        }
    }

    void check_lock() {
        if (options_.lock != nullptr) options_.lock->check_held();
    }

    void commit() {
        check_lock();  // a lock lost while the step ran must not see it committed
        connection_.execute(dialect_.commit_transaction());
        in_transaction_ = false;
        for (const auto& [step, duration] : uncommitted_) {
            ++completed_;
            if (on_step_completed_) on_step_completed_(*step, duration);
        }
        uncommitted_.clear();
    }

    // Runs BEGIN/COMMIT (and the CREATE inside the first BEGIN), reporting failures against `subject`.
    template <class Action>
    void guarded(const std::string& subject, Action action) {
        try {
            action();
        } catch (const VersionTableError& error) {
            fail({}, error.what());  // names the settings; no migration is to blame
        } catch (const db::LockLost& error) {
            fail_with(error.message(), ErrorKind::Lock);
        } catch (const Error& error) {
            if (interrupted()) stop();
            fail(subject, fmt::format("failed: {}", error.what()));
        }
    }

    [[nodiscard]] bool interrupted() const { return interruption_ != nullptr && interruption_->requested(); }

    // Whether the statement last run was cut short (it may have done part of its work) or finished.
    enum class StatementState { Finished, Started };

    // Honours a stop request: rolls the open transaction back and says where the version table is. A
    // second signal does not cut this short (the watcher ignores it).
    [[noreturn]] void stop(StatementState last = StatementState::Finished) {
        // Waits for a cancel in flight and clears it, so that it cannot hit the ROLLBACK or the read below.
        cancel_scope_.reset();
        rollback();
        std::string message = "interrupted: the database is at ";
        try {
            const auto heads = versions_.heads();
            message += heads.empty() ? std::string("base") : util::join(heads);
        } catch (const Error& error) {
            message = fmt::format("interrupted: the version table could not be read: {}", error.what());
        }
        const bool statements_ran = executed_in_unit_ > 0 || last == StatementState::Started;
        if (last_statement_ != nullptr && statements_ran &&
            (outside_transaction_ || !dialect_.transactional_ddl())) {
            const std::string_view why =
                outside_transaction_ ? "it ran outside a transaction" : "DDL cannot be rolled back there";
            fmt::format_to(std::back_inserter(message),
                           "; {} may have been left applied up to line {} ({}), as {}: make the script safe "
                           "to re-run, or undo it by hand, then run upgrade again",
                           last_subject_, last_statement_->line, excerpt(last_statement_->sql), why);
        }
        throw util::Interrupted(message, interruption_->exit_code());
    }

    void rollback() {
        if (!in_transaction_) return;
        in_transaction_ = false;
        try {
            connection_.execute(dialect_.rollback_transaction());
        } catch (const db::DatabaseError& error) {
            log::warn("rollback failed: {}", error.what());
        }
    }

    [[noreturn]] void fail(const std::string& subject, const std::string& detail) {
        fail_with(subject.empty() ? detail : subject + " " + detail, ErrorKind::Database);
    }

    [[noreturn]] void fail_with(std::string message, ErrorKind kind) {
        rollback();
        // Where DDL cannot roll back, what the failed step left behind is on record; elsewhere the step
        // rolled back entirely and leaves no row.
        if (!dialect_.transactional_ddl() && options_.mode == Mode::Online && current_.step != nullptr &&
            !history_pending_) {
            try {
                record_history(last_subject_, HistoryOutcome::Failed, message);
            } catch (const db::DatabaseError& error) {
                log::warn("could not record the failure in the history table: {}", error.what());
            }
        }
        // When part of the migration stays applied, say so and say how to get out of it: the
        // version table still names the previous revision, so the whole script runs again.
        constexpr std::string_view recovery =
            " (make the script safe to re-run, or undo them by hand, then run upgrade again)";
        if (executed_in_unit_ > 0 && outside_transaction_) {
            message += fmt::format("; the statements before it ran outside a transaction and stay applied{}",
                                   recovery);
        } else if (executed_in_unit_ > 0 && !dialect_.transactional_ddl()) {
            message += fmt::format("; {} cannot roll back DDL, so statements before it may stay applied{}",
                                   dialect_.name(), recovery);
        }
        if (completed_ > 0) message += "; earlier migrations in this run stay applied";
        throw Error(message, kind);
    }

    db::Connection& connection_;
    const dialect::Dialect& dialect_;
    const MigrationOptions& options_;
    VersionTable versions_;
    HistoryTable history_;
    // The step running now, for its history row.
    struct Current {
        const MigrationStep* step = nullptr;
        std::optional<std::string> upgrade_checksum;
        std::optional<std::string> downgrade_checksum;
        std::string started_at;
        std::chrono::steady_clock::time_point started;
    };
    Current current_;
    bool history_pending_ = true;
    const StepCompleted& on_step_completed_;
    bool version_table_pending_;
    bool in_transaction_ = false;
    bool outside_transaction_ = false;  // inside a NonTransactional section
    std::size_t executed_in_unit_ = 0;  // statements run since the last BEGIN (or outside a transaction)
    std::vector<std::pair<const MigrationStep*, std::chrono::nanoseconds>>
        uncommitted_;  // and how long each ran
    std::size_t completed_ = 0;
    std::string last_subject_;  // the subject of the step run last, for the final COMMIT
    const script::Statement* last_statement_ = nullptr;  // of this step, run last
    util::Interruption* interruption_ = nullptr;
    std::optional<util::Interruption::CancelScope> cancel_scope_;  // the connection can be interrupted
    StepPreparer steps_;  // declared last: its worker stops before the rest goes
};

}  // namespace

MigrationContext::MigrationContext(db::Connection& connection, const dialect::Dialect& dialect,
                                   MigrationOptions options)
    : connection_(connection), dialect_(dialect), options_(std::move(options)) {}

std::size_t MigrationContext::run(const Plan& plan, const StepCompleted& on_step_completed) {
    return run(plan, {}, on_step_completed);
}

std::size_t MigrationContext::run(const Plan& plan, PreparedSteps prepared,
                                  const StepCompleted& on_step_completed) {
    auto rest = read_plan_scripts(plan, script_files_of(options_), prepared.size());
    Runner runner(connection_, dialect_, options_, plan, std::move(prepared), std::move(rest),
                  on_step_completed);
    return runner.run(plan);
}

}  // namespace migrator::runtime
