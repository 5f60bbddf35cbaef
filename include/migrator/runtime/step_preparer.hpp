#pragma once
// Gets a plan's steps ready to run: each script read, parsed and split, and its log line formatted.
// Online, this happens on a second thread while the database commits the step before.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "migrator/dialect/dialect.hpp"
#include "migrator/runtime/plan.hpp"
#include "migrator/script/script.hpp"

namespace migrator::script {
class ScriptSequence;
}

namespace migrator::runtime {

/// One step ready to run.
struct PreparedStep {
    std::string subject;       // "migration 0002_add_email.sql (3f2a9c1b7d4e)", for error messages
    std::string announcement;  // "Running upgrade 9b1c2d3e4f5a -> 3f2a9c1b7d4e, add email"
    std::vector<script::Statement> statements;  // the section's statements; none for a stamp
    script::TransactionMode transaction = script::TransactionMode::Transactional;
    std::optional<std::string>
        failure;  // set when the script could not be read, parsed or split; names the file
    std::optional<std::string> upgrade_checksum;    // of the script as run, for the history table
    std::optional<std::string> downgrade_checksum;  // none for a stamp
    bool placeholder_only = false;  // an upgrade section with nothing but the template's comment in it
};

/// Where steps are prepared: on the caller's thread, or ahead of it on a second thread.
enum class Preparation { Inline, Ahead };

/// Hands out a plan's steps prepared, in plan order.
class StepPreparer {
public:
    /// `scripts` yields the scripts of the plan's steps that have a revision, in order; `plan` must
    /// outlive the preparer. Sections are split into statements by `dialect`'s rules.
    StepPreparer(const Plan& plan, std::unique_ptr<script::ScriptSequence> scripts,
                 dialect::DialectKind dialect, Preparation preparation);
    ~StepPreparer();
    StepPreparer(const StepPreparer&) = delete;
    StepPreparer& operator=(const StepPreparer&) = delete;
    StepPreparer(StepPreparer&&) = delete;
    StepPreparer& operator=(StepPreparer&&) = delete;

    /// The next step; rethrows what preparing it threw. Call it at most once per step of the plan.
    PreparedStep next();

private:
    struct Slot {
        PreparedStep step;
        std::exception_ptr thrown;
    };

    Slot prepare(const MigrationStep& step);
    void prepare_ahead();

    const Plan& plan_;
    std::unique_ptr<script::ScriptSequence> scripts_;
    dialect::DialectKind dialect_;
    std::size_t taken_ = 0;  // Inline only

    // Ahead: the worker fills `ready_` up to a limit and waits until half of it is taken.
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Slot> ready_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace migrator::runtime
