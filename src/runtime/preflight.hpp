#pragma once
// Checks a plan's scripts before any of them runs, so that a malformed one leaves the database (and the
// --sql output) untouched rather than stopping the run halfway.

#include <cstddef>
#include <memory>

#include "dialect/dialect.hpp"
#include "runtime/plan.hpp"
#include "runtime/prepared_step.hpp"
#include "util/expected.hpp"

namespace migrator::script {
class ScriptFiles;
class ScriptSequence;
}  // namespace migrator::script

namespace migrator::runtime {

/// The scripts of the plan's steps from `first_step` on that have a revision (stamps have none), read in
/// plan order.
std::unique_ptr<script::ScriptSequence> read_plan_scripts(const Plan& plan, const script::ScriptFiles& files,
                                                          std::size_t first_step = 0);

/// What the pre-flight passed: how many scripts it checked, and the plan's first steps as it prepared
/// them, for the run to take instead of reading those scripts a second time.
struct CheckedPlan {
    std::size_t scripts = 0;
    PreparedSteps prepared;
};

/// What a prepared step holds in memory, near enough to bound the total that the pre-flight keeps.
std::size_t prepared_bytes(const PreparedStep& step);

/// Room for a few thousand steps of small scripts, so that a typical upgrade reads each script once while a
/// long replay costs no more memory than before; past it a plan's later steps are read again when they run.
constexpr std::size_t default_kept_bytes = std::size_t{2} * 1024 * 1024;

/// Reads, parses and splits (by `dialect`'s rules) the section each step of `plan` runs, one script at a
/// time. Keeps the prepared steps in plan order while they fit in `kept_bytes`, and drops each one after
/// that as soon as it is checked. Returns one failure listing the broken scripts, each as `file:line: ...`.
Expected<CheckedPlan> check_plan_scripts(const Plan& plan, const script::ScriptFiles& files,
                                         dialect::DialectKind dialect, std::size_t kept_bytes);

}  // namespace migrator::runtime
