#include "runtime/step_preparer.hpp"

#include <fmt/format.h>

#include <iterator>
#include <string_view>
#include <utility>

#include "script/checksum.hpp"
#include "script/revision_map.hpp"
#include "script/script_loader.hpp"
#include "script/statement_splitter.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace migrator::runtime {

namespace {

// How far the worker gets ahead: enough to cover a slow commit, little enough to stay small in memory.
constexpr std::size_t steps_ahead = 32;

// "Running upgrade 9b1c2d3e4f5a -> 3f2a9c1b7d4e, add email column", as Alembic logs it.
std::string announcement(const MigrationStep& step) {
    if (step.revision == nullptr) {
        std::vector<std::string> from;
        std::vector<std::string> to;
        for (const auto& change : step.version_changes) {
            if (change.kind != VersionChangeKind::Insert) from.emplace_back(change.from);
            if (change.kind == VersionChangeKind::Insert || change.kind == VersionChangeKind::Update)
                to.emplace_back(change.to);
        }
        return fmt::format("Running stamp_revision {} -> {}", util::join(from), util::join(to));
    }
    const auto& revision = *step.revision;
    const std::string down = util::join(revision.down_revisions());
    std::string text = step.direction == Direction::Upgrade
                           ? fmt::format("Running upgrade {} -> {}", down, revision.id())
                           : fmt::format("Running downgrade {} -> {}", revision.id(), down);
    if (!revision.message().empty()) fmt::format_to(std::back_inserter(text), ", {}", revision.message());
    return text;
}

// "migration 0002_3f2a_add_email.sql (3f2a9c1b7d4e)", or the stamp it performs.
std::string subject_of(const MigrationStep& step, const std::string& announcement) {
    if (step.revision == nullptr) {
        constexpr std::string_view prefix = "Running ";
        return announcement.substr(prefix.size());
    }
    return fmt::format("migration {} ({})", step.revision->file_name(), step.revision->id());
}

// Comment lines only, one of them the template's hint: a script generated and never filled in.
bool is_placeholder_only(std::string_view sql) {
    bool hint = false;
    std::size_t start = 0;
    while (start < sql.size()) {
        auto end = sql.find('\n', start);
        if (end == std::string_view::npos) end = sql.size();
        auto line = sql.substr(start, end - start);
        start = end + 1;
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) continue;
        line.remove_prefix(first);
        if (!line.starts_with("--")) return false;
        if (line.find("write the upgrade SQL here") != std::string_view::npos) hint = true;
    }
    return hint;
}

}  // namespace

StepPreparer::StepPreparer(const Plan& plan, PreparedSteps prepared,
                           std::unique_ptr<script::ScriptSequence> scripts, dialect::DialectKind dialect,
                           Preparation preparation)
    : plan_(plan),
      scripts_(std::move(scripts)),
      dialect_(dialect),
      prepared_(std::move(prepared)),
      first_unprepared_(prepared_.size()),
      taken_(prepared_.size()) {
    if (preparation == Preparation::Ahead && first_unprepared_ < plan.steps.size()) {
        // The worker logs where the thread that runs the plan logs (a library caller's sink).
        worker_ = std::thread([this, sink = log::current_sink()] {
            const log::ScopedSink scoped(sink);
            prepare_ahead();
        });
    }
}

StepPreparer::~StepPreparer() {
    if (!worker_.joinable()) return;
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_one();
    worker_.join();
}

PreparedStep StepPreparer::next() {
    if (!prepared_.empty()) {
        PreparedStep step = std::move(prepared_.front());
        prepared_.pop_front();
        return step;
    }
    Slot slot;
    if (!worker_.joinable()) {
        slot = prepare(plan_.steps.at(taken_++));
    } else {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !ready_.empty(); });
        slot = std::move(ready_.front());
        ready_.pop_front();
        // Wake the worker once half the queue is gone rather than at every step: one wake-up per batch.
        const bool wake = ready_.size() == steps_ahead / 2;
        lock.unlock();
        if (wake) changed_.notify_one();
    }
    if (slot.thrown) std::rethrow_exception(slot.thrown);
    return std::move(slot.step);
}

StepPreparer::Slot StepPreparer::prepare(const MigrationStep& step) {
    Slot slot;
    try {
        slot.step.announcement = announcement(step);
        slot.step.subject = subject_of(step, slot.step.announcement);
        if (step.revision == nullptr) return slot;
        // The map keeps headers only: the script's SQL is read now, used, and released with this step.
        const auto text = scripts_->next();
        if (!text) {
            slot.step.failure = text.error().message;
            return slot;
        }
        auto script = script::parse_sql_bodies(*text, step.revision->path(), step.revision->id());
        if (!script) {
            slot.step.failure = script.error().message;
            return slot;
        }
        const auto& section = step.direction == Direction::Upgrade ? script->upgrade : script->downgrade;
        auto statements = script::split_statements(section.sql, dialect_,
                                                   script::SqlSource{script->path, section.line + 1});
        if (!statements) {
            slot.step.failure = statements.error().message;
            return slot;
        }
        slot.step.placeholder_only =
            step.direction == Direction::Upgrade && statements->empty() && is_placeholder_only(section.sql);
        slot.step.statements = std::move(*statements);
        slot.step.transaction = section.transaction;
        slot.step.upgrade_checksum = script::section_checksum(script->upgrade.sql);
        slot.step.downgrade_checksum = script::section_checksum(script->downgrade.sql);
    } catch (...) {
        slot.thrown = std::current_exception();
    }
    return slot;
}

void StepPreparer::prepare_ahead() {
    // The worker keeps the caller's scheduling class: in the idle class it starved whenever other
    // processes wanted every CPU, and the runner then waited for it (see docs/performance.md).
    for (std::size_t i = first_unprepared_; i < plan_.steps.size(); ++i) {
        Slot slot = prepare(plan_.steps[i]);
        std::unique_lock lock(mutex_);
        if (ready_.size() >= steps_ahead) {
            changed_.wait(lock, [this] { return stopping_ || ready_.size() <= steps_ahead / 2; });
        }
        if (stopping_) return;
        const bool was_empty = ready_.empty();
        ready_.push_back(std::move(slot));
        lock.unlock();
        if (was_empty) changed_.notify_one();
    }
}

}  // namespace migrator::runtime
