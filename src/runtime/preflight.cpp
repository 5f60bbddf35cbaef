#include "runtime/preflight.hpp"

#include <utility>
#include <vector>

#include "runtime/step_preparer.hpp"
#include "script/revision_map.hpp"
#include "script/script_loader.hpp"
#include "util/failure_list.hpp"
#include "util/log.hpp"

namespace migrator::runtime {

std::size_t prepared_bytes(const PreparedStep& step) {
    std::size_t bytes = sizeof(PreparedStep) + step.subject.size() + step.announcement.size();
    for (const auto& statement : step.statements) bytes += sizeof(statement) + statement.sql.size();
    for (const auto* checksum : {&step.upgrade_checksum, &step.downgrade_checksum}) {
        if (*checksum) bytes += (*checksum)->size();
    }
    return bytes;
}

std::unique_ptr<script::ScriptSequence> read_plan_scripts(const Plan& plan, const script::ScriptFiles& files,
                                                          std::size_t first_step) {
    std::vector<const script::Revision*> revisions;
    for (std::size_t i = first_step; i < plan.steps.size(); ++i) {
        if (plan.steps[i].revision != nullptr) revisions.push_back(plan.steps[i].revision);
    }
    const std::size_t count = revisions.size();
    return files.read_in_order(
        count, [revisions = std::move(revisions)](std::size_t i) { return revisions[i]->path(); });
}

Expected<CheckedPlan> check_plan_scripts(const Plan& plan, const script::ScriptFiles& files,
                                         dialect::DialectKind dialect, std::size_t kept_bytes) {
    // The same preparation the run does, so that what passes here is what runs.
    StepPreparer steps(plan, {}, read_plan_scripts(plan, files), dialect, Preparation::Inline);
    util::FailureList failures;
    CheckedPlan checked;
    std::size_t kept = 0;
    bool keeping = true;
    for (const auto& step : plan.steps) {
        PreparedStep prepared = steps.next();
        if (step.revision != nullptr) {
            ++checked.scripts;
            if (prepared.failure) failures.add(*prepared.failure);
            // A merge script has nothing to do; any other was probably never filled in.
            if (prepared.placeholder_only && step.revision->down_revisions().size() < 2) {
                log::warn(
                    "{}: the upgrade section of revision {} holds only the template's placeholder comment; "
                    "it runs no SQL",
                    step.revision->path(), step.revision->id());
            }
        }
        // The run takes the kept steps first and reads the scripts of the rest, so only a prefix is kept.
        kept += prepared_bytes(prepared);
        keeping = keeping && failures.empty() && kept <= kept_bytes;
        if (keeping) checked.prepared.push_back(std::move(prepared));
    }
    if (!failures.empty()) return failures.summary();
    return checked;
}

}  // namespace migrator::runtime
