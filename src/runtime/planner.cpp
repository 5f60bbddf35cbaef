#include "runtime/planner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "script/target.hpp"
#include "util/strings.hpp"

namespace migrator::runtime {
namespace {

using script::EdgeMode;
using script::RevisionMap;
using Index = RevisionMap::Index;

/// The version table rows as Alembic's HeadMaintainer tracks them. Rows keep a stable order: an update
/// rewrites a row in place, an insert appends, a delete removes.
class HeadTable {
public:
    HeadTable(const RevisionMap& map, const std::vector<Index>& heads)
        : map_(map), present_(map.size(), 0), row_of_(map.size(), 0) {
        for (const Index head : heads)
            if (!present_[head]) add_row(head);
    }

    [[nodiscard]] bool contains(Index revision) const { return present_[revision] != 0; }

    void insert(Index revision, std::vector<VersionChange>& changes) {
        if (contains(revision))
            inconsistent(fmt::format("cannot insert {}: it is already a row", id(revision)));
        add_row(revision);
        changes.push_back({VersionChangeKind::Insert, "", id(revision)});
    }

    void remove(Index revision, std::vector<VersionChange>& changes) {
        if (!contains(revision)) inconsistent(fmt::format("cannot delete {}: it is not a row", id(revision)));
        present_[revision] = 0;
        alive_[row_of_[revision]] = 0;
        changes.push_back({VersionChangeKind::Delete, id(revision), ""});
    }

    void update(Index from, Index to, std::vector<VersionChange>& changes) {
        if (!contains(from))
            inconsistent(fmt::format("cannot update {} to {}: {} is not a row", id(from), id(to), id(from)));
        if (contains(to)) {
            inconsistent(
                fmt::format("cannot update {} to {}: {} is already a row", id(from), id(to), id(to)));
        }
        present_[from] = 0;
        present_[to] = 1;
        row_of_[to] = row_of_[from];
        rows_[row_of_[to]] = to;
        changes.push_back({VersionChangeKind::Update, id(from), id(to)});
    }

    [[nodiscard]] std::vector<std::string> ids() const {
        std::vector<std::string> out;
        for (std::size_t row = 0; row < rows_.size(); ++row)
            if (alive_[row]) out.emplace_back(id(rows_[row]));
        return out;
    }

private:
    void add_row(Index revision) {
        present_[revision] = 1;
        row_of_[revision] = static_cast<std::uint32_t>(rows_.size());
        rows_.push_back(revision);
        alive_.push_back(1);
    }

    [[nodiscard]] std::string_view id(Index revision) const { return map_.at(revision).id(); }

    [[noreturn]] static void inconsistent(const std::string& what) {
        throw Error(fmt::format("the version table does not match the revision graph: {}", what));
    }

    const RevisionMap& map_;
    std::vector<char> present_;
    std::vector<std::uint32_t> row_of_;
    std::vector<Index> rows_;
    std::vector<char> alive_;
};

/// Which revisions are applied and how many applied children each has. Alembic asks "is this parent an
/// ancestor of another current head?" by walking all ancestors per step; with the heads being the tips
/// of the applied set, that is "does this parent still have an applied child?", an O(1) counter lookup.
class AppliedSet {
public:
    AppliedSet(const RevisionMap& map, const std::vector<Index>& heads)
        : map_(map),
          applied_(map.ancestors(heads, EdgeMode::WithDependencies)),
          applied_children_(map.size(), 0) {
        for (Index i = 0; i < map.size(); ++i) {
            if (applied_[i]) {
                for (const Index parent : map.parents(i, EdgeMode::WithDependencies))
                    ++applied_children_[parent];
            }
        }
    }

    void apply(Index revision) {
        applied_[revision] = 1;
        for (const Index parent : map_.parents(revision, EdgeMode::WithDependencies))
            ++applied_children_[parent];
    }

    void unapply(Index revision) {
        applied_[revision] = 0;
        for (const Index parent : map_.parents(revision, EdgeMode::WithDependencies))
            --applied_children_[parent];
    }

    [[nodiscard]] bool has_applied_child(Index revision) const { return applied_children_[revision] > 0; }

private:
    const RevisionMap& map_;
    std::vector<char> applied_;
    std::vector<std::uint32_t> applied_children_;
};

/// RevisionStep upgrade + HeadMaintainer.update_to_step. Where Alembic picks from a Python set (which
/// parent row a merge keeps), we take the first declared parent so the result is deterministic.
void upgrade_rows(const RevisionMap& map, Index revision, HeadTable& table, AppliedSet& applied,
                  std::vector<VersionChange>& changes) {
    const auto downs = map.parents(revision, EdgeMode::WithDependencies);
    std::vector<Index> current;
    for (const Index down : downs)
        if (table.contains(down)) current.push_back(down);
    if (downs.empty() || current.empty()) {
        table.insert(revision, changes);  // a base, or a branch whose parents are implied by other heads
    } else if (downs.size() > 1 && current.size() > 1) {
        for (std::size_t k = 1; k < current.size(); ++k) table.remove(current[k], changes);
        table.update(current.front(), revision, changes);
    } else if (downs.size() == 1) {
        table.update(downs.front(), revision, changes);
    } else {
        table.update(current.front(), revision, changes);
    }
    applied.apply(revision);
}

/// RevisionStep downgrade + HeadMaintainer.update_to_step.
void downgrade_rows(const RevisionMap& map, Index revision, HeadTable& table, AppliedSet& applied,
                    std::vector<VersionChange>& changes) {
    const auto downs = map.parents(revision, EdgeMode::WithDependencies);
    applied.unapply(revision);
    // Alembic _unmerge_to_revisions: parents not implied by another remaining head.
    std::vector<Index> to;
    for (const Index down : downs)
        if (!applied.has_applied_child(down)) to.push_back(down);
    const bool is_row = table.contains(revision);
    if (is_row && (downs.empty() || to.empty())) {
        table.remove(revision, changes);
    } else if (is_row && downs.size() > 1) {
        for (std::size_t k = 1; k < to.size(); ++k) table.insert(to[k], changes);
        table.update(revision, to.front(), changes);
    } else if (downs.size() == 1) {
        table.update(revision, downs.front(), changes);
    } else {
        std::vector<Index> current;
        for (const Index down : downs)
            if (table.contains(down)) current.push_back(down);
        if (current.size() != 1) {
            throw Error(fmt::format("Can't do an UPDATE for {} because its down revision is ambiguous",
                                    map.at(revision).id()));
        }
        table.update(revision, current.front(), changes);
    }
}

std::vector<Index> resolve_current(const RevisionMap& map, const std::vector<std::string>& heads) {
    std::vector<Index> out;
    out.reserve(heads.size());
    for (const std::string& head : heads) {
        const script::Revision* revision = map.find(head);
        if (revision == nullptr) {
            throw Error(
                fmt::format("Can't locate revision identified by '{}' (a row of the version table)", head));
        }
        out.push_back(map.index_of(*revision));
    }
    return out;
}

script::Target parse_or_throw(std::string_view text) {
    auto target = script::parse_target(text);
    if (!target) throw Error(target.error().message);
    return std::move(target).value();
}

Plan run_revision_steps(const RevisionMap& map, const std::vector<std::string>& current_heads,
                        const std::vector<Index>& current, const std::vector<Index>& order,
                        Direction direction) {
    Plan plan;
    plan.heads_before = current_heads;
    HeadTable table(map, current);
    AppliedSet applied(map, current);
    plan.steps.reserve(order.size());
    for (const Index revision : order) {
        MigrationStep step;
        step.revision = &map.at(revision);
        step.direction = direction;
        if (direction == Direction::Upgrade) {
            upgrade_rows(map, revision, table, applied, step.version_changes);
        } else {
            downgrade_rows(map, revision, table, applied, step.version_changes);
        }
        plan.steps.push_back(std::move(step));
    }
    plan.heads_after = table.ids();
    return plan;
}

/// Alembic StampStep: moves rows without running scripts.
struct StampMove {
    std::vector<Index> from;
    std::optional<Index> to;
    Direction direction = Direction::Upgrade;
    bool branch_move = false;
};

void stamp_rows(const StampMove& move, HeadTable& table, std::vector<VersionChange>& changes) {
    const bool upgrade = move.direction == Direction::Upgrade;
    const bool from_missing =
        std::any_of(move.from.begin(), move.from.end(), [&](Index i) { return !table.contains(i); });
    if (!upgrade && move.branch_move) {
        table.remove(move.from.front(), changes);
    } else if (upgrade && (move.branch_move || from_missing) && move.to && !table.contains(*move.to)) {
        table.insert(*move.to, changes);
    } else if (move.from.size() > 1) {
        for (std::size_t k = 0; k + 1 < move.from.size(); ++k) table.remove(move.from[k], changes);
        table.update(move.from.back(), *move.to, changes);
    } else if (!move.from.empty() && move.to) {
        table.update(move.from.front(), *move.to, changes);
    } else {
        throw Error("stamp step has nothing to move");
    }
}

}  // namespace

Plan plan_upgrade(const RevisionMap& map, const std::vector<std::string>& current_heads,
                  std::string_view target) {
    const auto parsed = parse_or_throw(target);
    try {
        const auto current = resolve_current(map, current_heads);
        const auto targets =
            script::resolve_upgrade_target(map, current_heads, parsed, script::RelativeLength::Strict);
        map.check_no_overlap(targets);
        map.check_no_overlap(current);
        const auto required = map.ancestors(targets, EdgeMode::WithDependencies);
        const auto done = map.ancestors(current, EdgeMode::WithDependencies);
        std::vector<char> todo(map.size(), 0);
        for (std::size_t i = 0; i < todo.size(); ++i) todo[i] = static_cast<char>(required[i] && !done[i]);
        auto order = map.topological_walk(std::move(todo), targets);
        std::reverse(order.begin(), order.end());
        return run_revision_steps(map, current_heads, current, order, Direction::Upgrade);
    } catch (const script::MultipleHeadsError& e) {
        throw Error(script::multiple_heads_message(target, e.heads()) +
                    "; run 'migrator upgrade heads' to upgrade every branch, or join them first with "
                    "'migrator merge heads -m \"<message>\"'");
    }
}

void check_upgrade_target(const RevisionMap& map, std::string_view target) {
    const auto parsed = parse_or_throw(target);
    try {
        if (parsed.kind != script::TargetKind::Relative) {
            static_cast<void>(map.revisions_for(parsed.text));
        } else if (!parsed.symbol.empty()) {
            static_cast<void>(map.revision_for(parsed.symbol));
        }
    } catch (const script::MultipleHeadsError&) {
        // Not a typo: plan_upgrade reports it with the commands that resolve it.
    }
}

Plan plan_downgrade(const RevisionMap& map, const std::vector<std::string>& current_heads,
                    std::string_view target) {
    const auto parsed = parse_or_throw(target);
    try {
        const auto current = resolve_current(map, current_heads);
        const auto destination =
            script::resolve_downgrade_target(map, current_heads, parsed, script::RelativeLength::Strict);
        const bool to_base = destination.position.kind != script::WalkPosition::Kind::Revision;
        std::vector<Index> roots;
        if (to_base) {
            roots = map.base_indices();
        } else {
            const auto above = map.children(destination.position.index, EdgeMode::Versioned);
            roots.assign(above.begin(), above.end());
        }
        if (!destination.branch.empty() && roots.size() > 1) {
            const Index branch[] = {map.resolve_branch(destination.branch)};
            const auto on_branch = map.ancestors(branch, EdgeMode::Versioned);
            std::erase_if(roots, [&](Index r) { return !on_branch[r]; });
            if (roots.empty())
                throw Error(fmt::format("Not a valid downgrade target from current heads: '{}'", target));
        }
        auto todo = map.descendants(roots, EdgeMode::WithDependencies);
        const auto applied = map.ancestors(current, EdgeMode::WithDependencies);
        bool any = false;
        for (std::size_t i = 0; i < todo.size(); ++i) {
            todo[i] = static_cast<char>(todo[i] && applied[i]);
            any = any || todo[i];
        }
        if (!to_base && !any &&
            std::find(current.begin(), current.end(), destination.position.index) == current.end()) {
            throw Error(
                fmt::format("Destination {} is not a valid downgrade target from current head(s)", target));
        }
        const auto order = map.topological_walk(std::move(todo), current);
        return run_revision_steps(map, current_heads, current, order, Direction::Downgrade);
    } catch (const script::MultipleHeadsError& e) {
        throw Error(script::multiple_heads_message(target, e.heads()));
    }
}

Plan plan_stamp(const RevisionMap& map, const std::vector<std::string>& current_heads,
                std::string_view target, StampPurge purge) {
    return plan_stamp(map, current_heads, std::vector<std::string>{std::string(target)}, purge);
}

Plan plan_stamp(const RevisionMap& map, const std::vector<std::string>& current_heads,
                const std::vector<std::string>& targets, StampPurge purge) {
    Plan plan;
    plan.heads_before = current_heads;
    std::vector<std::string> rows = current_heads;
    if (purge == StampPurge::Purge && !rows.empty()) {
        MigrationStep wipe;
        wipe.direction = Direction::Downgrade;
        for (const std::string& row : plan.heads_before)
            wipe.version_changes.push_back({VersionChangeKind::Purge, row, ""});
        plan.steps.push_back(std::move(wipe));
        rows.clear();
    }
    const auto current = resolve_current(map, rows);
    std::vector<std::string> wanted = targets;
    if (wanted.empty() || (wanted.size() == 1 && wanted.front().empty())) wanted = {"base"};
    std::vector<StampMove> moves;
    try {
        std::vector<Index> filtered;
        for (const std::string& revision : wanted) {
            if (revision.empty()) continue;
            for (const Index head : map.filter_for_lineage(current, revision, EdgeMode::WithDependencies)) {
                if (std::find(filtered.begin(), filtered.end(), head) == filtered.end())
                    filtered.push_back(head);
            }
        }
        std::vector<std::optional<Index>> destinations;
        for (const std::string& revision : wanted)
            for (const Index i : map.revisions_for(revision)) destinations.emplace_back(i);
        if (destinations.empty()) destinations.emplace_back(std::nullopt);
        for (const auto& destination : destinations) {
            if (!destination) {
                for (const Index head : filtered)
                    moves.push_back({{head}, std::nullopt, Direction::Downgrade, true});
                continue;
            }
            if (std::find(filtered.begin(), filtered.end(), *destination) != filtered.end()) continue;
            const Index from[] = {*destination};
            const auto above = map.descendants(from, EdgeMode::WithDependencies);
            const auto below = map.ancestors(from, EdgeMode::WithDependencies);
            const bool heads_above =
                std::any_of(filtered.begin(), filtered.end(), [&](Index h) { return above[h] != 0; });
            const bool heads_below =
                std::any_of(filtered.begin(), filtered.end(), [&](Index h) { return below[h] != 0; });
            if (heads_above && heads_below) {
                throw Error(fmt::format("Cannot stamp {}: current heads lie both above and below it",
                                        map.at(*destination).id()));
            }
            if (heads_above) {
                moves.push_back({filtered, destination, Direction::Downgrade, false});
            } else if (heads_below) {
                moves.push_back({filtered, destination, Direction::Upgrade, false});
            } else {
                moves.push_back({{}, destination, Direction::Upgrade, true});
            }
        }
    } catch (const script::MultipleHeadsError& e) {
        throw Error(
            fmt::format("Multiple heads are present; please specify a single target revision (heads: {}), "
                        "'heads' for every one, or join them with 'migrator merge heads -m \"<message>\"'",
                        util::join(e.heads())));
    }
    HeadTable table(map, current);
    for (const StampMove& move : moves) {
        MigrationStep step;
        step.direction = move.direction;
        stamp_rows(move, table, step.version_changes);
        plan.steps.push_back(std::move(step));
    }
    plan.heads_after = table.ids();
    return plan;
}

OfflineRange resolve_offline_range(const RevisionMap& map, std::string_view range) {
    auto split = script::split_range(range);
    if (!split) throw Error(split.error().message);
    OfflineRange out;
    out.end = split->end;
    if (split->start && !split->start->empty() && *split->start != "base") {
        if (const auto start = map.revision_for(*split->start))
            out.start_heads.emplace_back(map.at(*start).id());
    }
    return out;
}

}  // namespace migrator::runtime
