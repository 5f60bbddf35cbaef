#include "migrator/runtime/integrity_check.hpp"

#include "migrator/script/checksum.hpp"
#include "migrator/script/revision_map.hpp"
#include "migrator/script/script_loader.hpp"
#include "migrator/util/error.hpp"

namespace migrator::runtime {

bool IntegrityReport::has_drift() const {
    for (const auto& entry : revisions) {
        if (entry.state == ScriptState::Edited || entry.state == ScriptState::Missing) return true;
    }
    return false;
}

std::vector<const RevisionIntegrity*> IntegrityReport::in_state(ScriptState state) const {
    std::vector<const RevisionIntegrity*> out;
    for (const auto& entry : revisions) {
        if (entry.state == state) out.push_back(&entry);
    }
    return out;
}

std::string_view state_name(ScriptState state) {
    switch (state) {
        case ScriptState::Unchanged:
            return "ok";
        case ScriptState::Edited:
            return "edited";
        case ScriptState::DowngradeEdited:
            return "downgrade edited";
        case ScriptState::Missing:
            return "missing";
        case ScriptState::NoChecksumRecorded:
            return "no checksum recorded";
    }
    return "ok";
}

IntegrityReport check_integrity(const script::RevisionMap& revisions,
                                const std::vector<std::string>& version_rows,
                                const std::map<std::string, RecordedChecksums>& recorded,
                                const script::ScriptFiles& files) {
    IntegrityReport report;
    std::vector<script::RevisionMap::Index> heads;
    for (const auto& row : version_rows) {
        const auto* revision = revisions.find(row);
        if (revision == nullptr) {
            RevisionIntegrity entry;
            entry.revision = row;
            entry.state = ScriptState::Missing;
            if (const auto found = recorded.find(row); found != recorded.end()) {
                entry.recorded_upgrade = found->second.upgrade;
                entry.recorded_downgrade = found->second.downgrade;
            }
            report.revisions.push_back(std::move(entry));
        } else {
            heads.push_back(revisions.index_of(*revision));
        }
    }
    const auto applied = revisions.ancestors(heads, script::EdgeMode::WithDependencies);
    std::vector<const script::Revision*> scripts;
    for (std::size_t i = 0; i < applied.size(); ++i) {
        if (applied[i] != 0) scripts.push_back(&revisions.at(static_cast<script::RevisionMap::Index>(i)));
    }
    auto sequence =
        files.read_in_order(scripts.size(), [&scripts](std::size_t i) { return scripts[i]->path(); });
    for (const auto* revision : scripts) {
        RevisionIntegrity entry;
        entry.revision = std::string(revision->id());
        entry.path = std::string(revision->path());
        const auto text = sequence->next().value_or_throw();
        const auto script = script::parse_sql_bodies(text, entry.path, revision->id());
        if (!script) throw Error(script.error().message);
        entry.current_upgrade = script::section_checksum(script->upgrade.sql);
        entry.current_downgrade = script::section_checksum(script->downgrade.sql);
        const auto found = recorded.find(entry.revision);
        if (found == recorded.end()) {
            entry.state = ScriptState::NoChecksumRecorded;
        } else {
            entry.recorded_upgrade = found->second.upgrade;
            entry.recorded_downgrade = found->second.downgrade;
            if (entry.recorded_upgrade != entry.current_upgrade) {
                entry.state = ScriptState::Edited;
            } else if (entry.recorded_downgrade && entry.recorded_downgrade != entry.current_downgrade) {
                entry.state = ScriptState::DowngradeEdited;
            }
        }
        report.revisions.push_back(std::move(entry));
    }
    return report;
}

}  // namespace migrator::runtime
