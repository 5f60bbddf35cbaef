#pragma once
// Gets a plan's steps ready to run: each script read, parsed and split, and its log line formatted.
// Online, this happens on a second thread while the database commits the step before.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "dialect/dialect.hpp"
#include "runtime/plan.hpp"
#include "runtime/prepared_step.hpp"

namespace migrator::script {
class ScriptSequence;
}

namespace migrator::runtime {

/// Where steps are prepared: on the caller's thread, or ahead of it on a second thread.
enum class Preparation { Inline, Ahead };

/// Hands out a plan's steps prepared, in plan order.
class StepPreparer {
public:
    /// `prepared` holds the plan's first steps, prepared already (by the pre-flight); `scripts` yields
    /// the scripts of the steps after them that have a revision, in order. `plan` must outlive the
    /// preparer. Sections are split into statements by `dialect`'s rules.
    StepPreparer(const Plan& plan, PreparedSteps prepared, std::unique_ptr<script::ScriptSequence> scripts,
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
    PreparedSteps prepared_;
    std::size_t first_unprepared_;  // the index in the plan of the first step not in `prepared`
    std::size_t taken_;             // Inline only

    // Ahead: the worker fills `ready_` up to a limit and waits until half of it is taken.
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Slot> ready_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace migrator::runtime
