#include "migrator/runtime/preflight.hpp"

#include <utility>
#include <vector>

#include "migrator/runtime/step_preparer.hpp"
#include "migrator/script/revision_map.hpp"
#include "migrator/script/script_loader.hpp"
#include "migrator/util/failure_list.hpp"
#include "migrator/util/log.hpp"

namespace migrator::runtime {

std::unique_ptr<script::ScriptSequence> read_plan_scripts(const Plan& plan,
                                                          const script::ScriptFiles& files) {
    std::vector<const script::Revision*> revisions;
    for (const auto& step : plan.steps) {
        if (step.revision != nullptr) revisions.push_back(step.revision);
    }
    const std::size_t count = revisions.size();
    return files.read_in_order(
        count, [revisions = std::move(revisions)](std::size_t i) { return revisions[i]->path(); });
}

Expected<std::size_t> check_plan_scripts(const Plan& plan, const script::ScriptFiles& files,
                                         dialect::DialectKind dialect) {
    // The same preparation the run does, so that what passes here is what runs; each step's
    // statements are dropped as soon as they are checked.
    StepPreparer steps(plan, read_plan_scripts(plan, files), dialect, Preparation::Inline);
    util::FailureList failures;
    std::size_t checked = 0;
    for (const auto& step : plan.steps) {
        const PreparedStep prepared = steps.next();
        if (step.revision == nullptr) continue;
        ++checked;
        if (prepared.failure) failures.add(*prepared.failure);
        // A merge script has nothing to do; any other was probably never filled in.
        if (prepared.placeholder_only && step.revision->down_revisions().size() < 2) {
            log::warn(
                "{}: the upgrade section of revision {} holds only the template's placeholder comment; "
                "it runs no SQL",
                step.revision->path(), step.revision->id());
        }
    }
    if (!failures.empty()) return failures.summary();
    return checked;
}

}  // namespace migrator::runtime
