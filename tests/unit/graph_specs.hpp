#pragma once
// Revision graphs written as tables in the graph tests.

#include <fmt/format.h>

#include <string>
#include <vector>

#include "script/revision_map.hpp"

namespace test {

/// One revision of a test graph.
struct Spec {
    std::string id;
    std::vector<std::string> down;
    std::vector<std::string> deps = {};
    std::vector<std::string> labels = {};
};

/// Scripts in creation order; the zero-padded path makes file order equal creation order, as in
/// Alembic's staging env where each generate_revision appends to the map.
inline std::vector<migrator::script::Script> scripts(const std::vector<Spec>& specs) {
    std::vector<migrator::script::Script> out;
    int sequence = 0;
    for (const Spec& spec : specs) {
        migrator::script::Script script;
        script.revision = spec.id;
        script.down_revisions = spec.down;
        script.depends_on = spec.deps;
        script.branch_labels = spec.labels;
        script.path = fmt::format("versions/{:06d}_{}.sql", ++sequence, spec.id);
        out.push_back(std::move(script));
    }
    return out;
}

/// The revision map of a test graph.
inline migrator::script::RevisionMap make(const std::vector<Spec>& specs) {
    return migrator::script::RevisionMap::build(scripts(specs));
}

}  // namespace test
