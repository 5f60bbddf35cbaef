#include "script/revision_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "revision_graph.hpp"
#include "script/target.hpp"
#include "util/strings.hpp"

namespace migrator::script {
namespace {

using graph::Index;

bool is_negative_integer(std::string_view text) {
    if (text.size() < 2 || text[0] != '-') return false;
    return std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string multiple_heads_message(std::string_view argument, const std::vector<std::string>& heads) {
    return fmt::format(
        "Multiple head revisions are present for given argument '{0}'; please specify a specific target "
        "revision, '<branchname>@{0}' to narrow to a specific head, or 'heads' for all heads (heads: {1})",
        argument, util::join(heads));
}

const Revision* RevisionMap::find(std::string_view exact_id) const {
    const auto position = position_of_id(exact_id);
    return position ? &revisions_[*position] : nullptr;
}

std::optional<RevisionMap::Index> RevisionMap::position_of_id(std::string_view id) const {
    return graph::find_id(
        id_slots_, [&](Index i) { return revisions_[i].id(); }, id);
}

RevisionMap::Index RevisionMap::index_of(const Revision& revision) const {
    return static_cast<Index>(&revision - revisions_.data());
}

std::span<const RevisionMap::Index> RevisionMap::parents(Index index, EdgeMode mode) const {
    return mode == EdgeMode::Versioned ? down_versioned_.of(index) : down_normalized_.of(index);
}

std::span<const RevisionMap::Index> RevisionMap::children(Index index, EdgeMode mode) const {
    return mode == EdgeMode::Versioned ? next_versioned_.of(index) : next_all_.of(index);
}

std::vector<char> RevisionMap::ancestors(std::span<const Index> from, EdgeMode mode) const {
    return graph::mark_reachable(size(), from, [&](Index i) { return parents(i, mode); });
}

std::vector<char> RevisionMap::descendants(std::span<const Index> from, EdgeMode mode) const {
    return graph::mark_reachable(size(), from, [&](Index i) { return children(i, mode); });
}

std::vector<RevisionMap::Index> RevisionMap::topological_walk(std::vector<char> todo,
                                                              std::span<const Index> heads) const {
    std::vector<Index> start(heads.begin(), heads.end());
    std::stable_sort(start.begin(), start.end(),
                     [&](Index a, Index b) { return file_rank_[a] < file_rank_[b]; });
    return graph::alembic_topological_walk(
        size(), [&](Index i) { return down_normalized_.of(i); }, [&](Index i) { return next_all_.of(i); },
        std::move(todo), start);
}

std::vector<RevisionMap::Index> RevisionMap::all_current(std::span<const Index> rows) const {
    // Alembic's _filter_into_branch_heads drops a revision when any versioned descendant is in the set,
    // comparing every pair. The set is closed under parents, so such a descendant exists iff a direct
    // versioned child is in the set: one look at each edge.
    const auto applied = ancestors(rows, EdgeMode::WithDependencies);
    std::vector<Index> tips;
    for (Index i = 0; i < size(); ++i) {
        if (!applied[i]) continue;
        const auto above = children(i, EdgeMode::Versioned);
        if (std::none_of(above.begin(), above.end(), [&](Index c) { return applied[c] != 0; }))
            tips.push_back(i);
    }
    return tips;
}

void RevisionMap::check_no_overlap(std::span<const Index> revisions) const {
    if (revisions.size() < 2) return;
    std::vector<Index> parents_of_all;
    for (const Index r : revisions)
        for (const Index parent : parents(r, EdgeMode::WithDependencies)) parents_of_all.push_back(parent);
    const auto below = ancestors(parents_of_all, EdgeMode::WithDependencies);
    if (std::none_of(revisions.begin(), revisions.end(), [&](Index r) { return below[r] != 0; })) return;
    for (const Index r : revisions) {
        const auto own = parents(r, EdgeMode::WithDependencies);
        const auto under = ancestors(own, EdgeMode::WithDependencies);
        std::vector<std::string> overlaps;
        for (const Index other : revisions)
            if (other != r && under[other]) graph::push_unique(overlaps, revisions_[other].id());
        if (!overlaps.empty()) {
            throw Error(fmt::format("Requested revision {} overlaps with other requested revisions {}",
                                    revisions_[r].id(), util::join(overlaps)));
        }
    }
}

std::vector<std::string> RevisionMap::ids(std::span<const Index> indices) const {
    std::vector<std::string> out;
    out.reserve(indices.size());
    for (const Index i : indices) out.emplace_back(revisions_[i].id());
    return out;
}

std::vector<std::string> RevisionMap::heads() const {
    return ids(heads_);
}
std::vector<std::string> RevisionMap::real_heads() const {
    return ids(real_heads_);
}
std::vector<std::string> RevisionMap::bases() const {
    return ids(bases_);
}

std::vector<std::string> RevisionMap::branch_points() const {
    std::vector<std::string> out;
    for (auto it = revisions_.rbegin(); it != revisions_.rend(); ++it)
        if (it->is_branch_point()) out.emplace_back(it->id());
    return out;
}

std::optional<RevisionMap::Index> RevisionMap::current_head(std::string_view branch_label) const {
    std::vector<Index> candidates = heads_;
    if (!branch_label.empty()) candidates = filter_for_lineage(heads_, branch_label, EdgeMode::Versioned);
    if (candidates.size() > 1) {
        const std::string argument =
            branch_label.empty() ? std::string("head") : fmt::format("{}@head", branch_label);
        throw MultipleHeadsError(multiple_heads_message(argument, ids(candidates)), ids(candidates),
                                 argument);
    }
    if (candidates.empty()) return std::nullopt;
    return candidates.front();
}

/// Alembic _resolve_revision_number: splits "branch@id" and expands the symbolic names.
std::pair<std::vector<RevisionMap::Index>, std::string> RevisionMap::resolve_revision_number(
    std::string_view identifier) const {
    std::string branch;
    std::string_view id = identifier;
    if (const auto at = identifier.find('@'); at != std::string_view::npos) {
        branch = std::string(identifier.substr(0, at));
        id = identifier.substr(at + 1);
    }
    if (id == "heads") {
        return {branch.empty() ? real_heads_ : filter_for_lineage(heads_, branch, EdgeMode::Versioned),
                branch};
    }
    if (id == "head") {
        const auto head = current_head(branch);
        return {head ? std::vector<Index>{*head} : std::vector<Index>{}, branch};
    }
    return {{}, branch};
}

std::optional<RevisionMap::Index> RevisionMap::revision_for_ident(std::optional<std::string_view> resolved,
                                                                  std::string_view check_branch) const {
    std::optional<Index> branch_revision;
    if (!check_branch.empty()) branch_revision = resolve_branch(check_branch);
    if (!resolved) return std::nullopt;
    const std::string key(*resolved);
    std::optional<Index> found;
    if (const auto position = position_of_id(key)) {
        found = *position;
    } else if (const auto label = by_label_.find(key); label != by_label_.end()) {
        found = label->second;
    } else {
        // Partial lookup over the keys of Alembic's map: ids in file order, then branch labels.
        std::vector<std::pair<std::string_view, Index>> matches;
        for (const Index i : by_file_rank_) {
            const std::string_view candidate = revisions_[i].id();
            if (candidate.size() > 3 && candidate.starts_with(key)) matches.emplace_back(candidate, i);
        }
        for (const auto& [label_name, owner] : label_order_)
            if (label_name.size() > 3 && label_name.starts_with(key)) matches.emplace_back(label_name, owner);
        if (branch_revision) {
            const auto lineage = lineage_marks(check_branch, EdgeMode::Versioned);
            std::erase_if(matches, [&](const auto& match) { return !lineage[match.second]; });
        }
        if (matches.empty()) {
            std::vector<std::string_view> known{"head", "heads", "base"};
            for (const Index i : by_file_rank_) known.push_back(revisions_[i].id());
            for (const auto& [label_name, owner] : label_order_) known.push_back(label_name);
            // Under three characters everything is "close": no suggestion.
            const auto suggestion = key.size() < 3 ? std::string() : util::did_you_mean(key, known);
            throw Error(fmt::format("No such revision or branch '{}'{}{}", key, suggestion,
                                    key.size() < 4
                                        ? "; please ensure at least four characters are present for "
                                          "partial revision identifier matches"
                                        : ""));
        }
        if (matches.size() > 1) {
            std::vector<std::string> quoted;
            for (std::size_t k = 0; k < matches.size() && k < 3; ++k)
                quoted.push_back(fmt::format("'{}'", matches[k].first));
            throw Error(fmt::format("Multiple revisions start with '{}': {}...", key, util::join(quoted)));
        }
        found = matches.front().second;
    }
    if (branch_revision) {
        const auto lineage = lineage_marks(check_branch, EdgeMode::Versioned);
        if (!lineage[*found]) {
            throw Error(fmt::format("Revision {} is not a member of branch '{}'", revisions_[*found].id(),
                                    check_branch));
        }
    }
    return found;
}

RevisionMap::Index RevisionMap::resolve_branch(std::string_view label) const {
    const std::string key(label);
    if (const auto it = by_label_.find(key); it != by_label_.end()) return it->second;
    if (const auto position = position_of_id(key)) return *position;
    try {
        return *revision_for_ident(label, "");
    } catch (const Error&) {
        throw Error(fmt::format("No such branch: '{}'", label));
    }
}

std::vector<char> RevisionMap::lineage_marks(std::string_view check_against, EdgeMode mode) const {
    auto [indices, branch] = resolve_revision_number(check_against);
    std::string_view id = check_against;
    if (const auto at = check_against.find('@'); at != std::string_view::npos)
        id = check_against.substr(at + 1);
    std::vector<Index> shares;
    if (!branch.empty()) shares.push_back(*revision_for_ident(branch, ""));
    if (!indices.empty()) {
        shares.insert(shares.end(), indices.begin(), indices.end());
    } else if (id != "heads" && id != "head" && id != "base" && !id.empty()) {
        shares.push_back(*revision_for_ident(id, ""));
    }
    if (shares.empty()) return std::vector<char>(size(), 1);
    auto marks = ancestors(shares, mode);
    const auto below = descendants(shares, mode);
    for (std::size_t i = 0; i < marks.size(); ++i) marks[i] = static_cast<char>(marks[i] | below[i]);
    return marks;
}

std::vector<RevisionMap::Index> RevisionMap::filter_for_lineage(std::span<const Index> targets,
                                                                std::string_view check_against,
                                                                EdgeMode mode) const {
    const auto marks = lineage_marks(check_against, mode);
    std::vector<Index> out;
    for (const Index t : targets)
        if (marks[t]) out.push_back(t);
    return out;
}

std::vector<RevisionMap::Index> RevisionMap::revisions_for(std::string_view identifier) const {
    auto [indices, branch] = resolve_revision_number(identifier);
    std::string_view id = identifier;
    if (const auto at = identifier.find('@'); at != std::string_view::npos) id = identifier.substr(at + 1);
    if (id == "heads" || id == "head" || id == "base" || id.empty()) {
        if (!branch.empty() && !indices.empty()) {
            const auto lineage = lineage_marks(branch, EdgeMode::Versioned);
            static_cast<void>(resolve_branch(branch));  // validates the label
            for (const Index i : indices) {
                if (!lineage[i]) {
                    throw Error(fmt::format("Revision {} is not a member of branch '{}'", revisions_[i].id(),
                                            branch));
                }
            }
        }
        return indices;
    }
    if (is_negative_integer(id)) {
        int steps = 0;
        std::from_chars(id.data() + 1, id.data() + id.size(), steps);
        std::vector<Index> out;
        for (const Index head : real_heads_) {
            const auto& labels = revisions_[head].inherited_branch_labels();
            if (!branch.empty() && std::find(labels.begin(), labels.end(), branch) == labels.end()) continue;
            const auto reached =
                walk({WalkPosition::Kind::Revision, head}, -steps, "", RelativeLength::Strict);
            if (reached && reached->kind == WalkPosition::Kind::Revision) out.push_back(reached->index);
        }
        return out;
    }
    return {*revision_for_ident(id, branch)};
}

std::optional<RevisionMap::Index> RevisionMap::revision_for(std::string_view identifier) const {
    auto [indices, branch] = resolve_revision_number(identifier);
    std::string_view id = identifier;
    if (const auto at = identifier.find('@'); at != std::string_view::npos) id = identifier.substr(at + 1);
    if (indices.size() > 1) {
        const std::string argument(identifier);
        throw MultipleHeadsError(multiple_heads_message(argument, ids(indices)), ids(indices), argument);
    }
    if (indices.size() == 1) {
        if (!branch.empty()) {
            static_cast<void>(resolve_branch(branch));  // validates the label
            if (!lineage_marks(branch, EdgeMode::Versioned)[indices.front()]) {
                throw Error(fmt::format("Revision {} is not a member of branch '{}'",
                                        revisions_[indices.front()].id(), branch));
            }
        }
        return indices.front();
    }
    if (id == "heads" || id == "head" || id == "base" || id.empty())
        return revision_for_ident(std::nullopt, branch);
    return revision_for_ident(id, branch);
}

const Revision& RevisionMap::resolve(std::string_view identifier) const {
    const auto index = revision_for(identifier);
    if (!index) throw Error(fmt::format("'{}' does not name a revision (it means base)", identifier));
    return revisions_[*index];
}

std::optional<WalkPosition> RevisionMap::walk(WalkPosition start, int steps, std::string_view branch_label,
                                              RelativeLength length) const {
    std::vector<char> lineage;
    if (steps > 0 && !branch_label.empty()) lineage = lineage_marks(branch_label, EdgeMode::Versioned);
    const int count = steps < 0 ? -steps : steps;
    std::vector<WalkPosition> next;
    for (int step = 0; step < count; ++step) {
        next.clear();
        if (steps > 0) {
            if (start.kind == WalkPosition::Kind::Base) throw Error("Cannot walk up from base");
            const auto up = start.kind == WalkPosition::Kind::Nothing
                                ? std::span<const Index>(bases_)
                                : children(start.index, EdgeMode::Versioned);
            for (const Index i : up)
                if (lineage.empty() || lineage[i]) next.push_back({WalkPosition::Kind::Revision, i});
        } else if (start.kind != WalkPosition::Kind::Base) {
            const auto down = start.kind == WalkPosition::Kind::Nothing
                                  ? std::span<const Index>(heads_)
                                  : parents(start.index, EdgeMode::Versioned);
            for (const Index i : down) next.push_back({WalkPosition::Kind::Revision, i});
            if (next.empty()) next.push_back({WalkPosition::Kind::Base, 0});
        }
        if (next.empty()) {
            if (length == RelativeLength::Strict) return std::nullopt;
            return start;
        }
        if (next.size() > 1) {
            std::vector<std::string> options;
            options.reserve(next.size());
            for (const auto& position : next) options.emplace_back(revisions_[position.index].id());
            // The way out is to name the revision: a relative step cannot choose between branches.
            std::vector<std::string> commands;
            commands.reserve(options.size());
            for (const auto& option : options) {
                commands.push_back(
                    fmt::format("'migrator {} {}'", steps > 0 ? "upgrade" : "downgrade", option));
            }
            throw Error(
                fmt::format("Ambiguous walk from {}: it could continue to {}; name the revision instead: {}",
                            start.kind == WalkPosition::Kind::Revision ? revisions_[start.index].id()
                                                                       : std::string_view("base"),
                            util::join(options), util::join(commands, " or ")));
        }
        start = next.front();
    }
    return start;
}

std::vector<const Revision*> RevisionMap::history(std::string_view range,
                                                  const std::vector<std::string>& current_heads) const {
    std::string lower_text, upper_text;
    if (!range.empty()) {
        const auto colon = range.find(':');
        if (colon == std::string_view::npos || range.find(':', colon + 1) != std::string_view::npos) {
            throw Error(
                fmt::format("History range '{}' should be [start]:[end], [start]:, or :[end]", range));
        }
        lower_text = std::string(util::trim(range.substr(0, colon)));
        upper_text = std::string(util::trim(range.substr(colon + 1)));
    }
    // As in Alembic, "current" with an empty version table falls back to base / heads.
    std::vector<std::string> lower = {lower_text.empty() ? std::string("base") : lower_text};
    std::vector<std::string> upper = {upper_text.empty() ? std::string("heads") : upper_text};
    if (lower_text == "current")
        lower = current_heads.empty() ? std::vector<std::string>{"base"} : current_heads;
    if (upper_text == "current")
        upper = current_heads.empty() ? std::vector<std::string>{"heads"} : current_heads;
    const std::string shown_range = fmt::format("{}:{}", util::join(lower, ","), util::join(upper, ","));

    std::vector<Index> targets;
    if (upper.size() == 1) {
        auto target = parse_target(upper.front());
        if (!target) throw Error(target.error().message);
        targets = resolve_upgrade_target(*this, lower, *target, RelativeLength::Clamp);
    } else {
        for (const std::string& id : upper)
            for (const Index i : revisions_for(id)) targets.push_back(i);
    }
    // A "branch@..." lower bound keeps only targets carrying that branch label.
    if (lower.size() == 1 && lower.front().find('@') != std::string::npos) {
        std::string branch = lower.front().substr(0, lower.front().find('@'));
        if (const auto owner = revision_for(branch); owner && revisions_[*owner].id() == branch) {
            const auto& labels = revisions_[*owner].inherited_branch_labels();
            if (labels.size() != 1) {
                throw Error(
                    fmt::format("Revision {} used as a branch must carry exactly one branch label", branch));
            }
            branch = labels.front();
        }
        std::erase_if(targets, [&](Index t) {
            const auto& labels = revisions_[t].inherited_branch_labels();
            return std::find(labels.begin(), labels.end(), branch) == labels.end();
        });
    }
    check_no_overlap(targets);
    const auto required = ancestors(targets, EdgeMode::WithDependencies);

    std::vector<Index> current;
    if (lower.size() == 1 && parse_target(lower.front()) &&
        parse_target(lower.front())->kind == TargetKind::Relative) {
        const auto bound =
            resolve_downgrade_target(*this, upper, *parse_target(lower.front()), RelativeLength::Clamp);
        if (bound.position.kind == WalkPosition::Kind::Revision) current.push_back(bound.position.index);
    } else {
        for (const std::string& id : lower)
            for (const Index i : revisions_for(id)) current.push_back(i);
    }
    for (const Index c : current) {
        if (!required[c]) {
            throw Error(fmt::format(
                "Requested range {} does not refer to ancestor/descendant revisions along the same branch",
                shown_range));
        }
    }
    check_no_overlap(current);
    const auto applied = ancestors(current, EdgeMode::WithDependencies);
    std::vector<char> needs(size(), 0);
    for (std::size_t i = 0; i < needs.size(); ++i) needs[i] = static_cast<char>(required[i] && !applied[i]);
    for (const Index c : current) needs[c] = 1;
    if (!current.empty()) {
        const auto above = descendants(current, EdgeMode::Versioned);
        for (std::size_t i = 0; i < needs.size(); ++i) needs[i] = static_cast<char>(needs[i] && above[i]);
    }
    std::vector<const Revision*> out;
    for (const Index i : topological_walk(std::move(needs), targets)) out.push_back(&revisions_[i]);
    return out;
}

std::vector<std::string> RevisionMap::parents_for_new_revision(std::string_view head,
                                                               SpliceMode splice) const {
    if (head.empty()) head = "head";
    std::vector<Index> heads;
    try {
        heads = revisions_for(head);
    } catch (const MultipleHeadsError&) {
        throw Error(
            "Multiple heads are present; please specify the head revision on which the new revision should "
            "be based (--head <revision or branch>@head), or perform a merge: 'migrator merge heads -m "
            "\"<message>\"'");
    }
    if (std::set<Index>(heads.begin(), heads.end()).size() != heads.size())
        throw Error("Duplicate head revisions specified");
    if (splice == SpliceMode::NoSplice) {
        for (const Index h : heads) {
            if (!revisions_[h].is_head()) {
                throw Error(
                    fmt::format("Revision {} is not a head revision; please specify --splice to create a new "
                                "branch from this "
                                "revision",
                                revisions_[h].id()));
            }
        }
    }
    return ids(heads);
}

std::vector<std::string> RevisionMap::resolve_all(const std::vector<std::string>& identifiers) const {
    std::vector<std::string> out;
    for (const std::string& identifier : identifiers)
        for (const Index i : revisions_for(identifier)) out.emplace_back(revisions_[i].id());
    return out;
}

}  // namespace migrator::script
