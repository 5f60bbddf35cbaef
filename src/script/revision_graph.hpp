#pragma once
// Graph helpers shared by the revision map's builder (revision_map_builder.cpp) and its queries
// (revision_map.cpp): the id table, reachability and Alembic's topological walk.

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "script/revision_map.hpp"
#include "util/error.hpp"

namespace migrator::script::graph {

using Index = RevisionMap::Index;

/// A free slot of the id table.
inline constexpr Index empty_slot = std::numeric_limits<Index>::max();

/// The slot where `id` is, or the empty slot where it would go (linear probing); `id_of` gives the id of
/// the revision a slot holds.
template <class IdOf>
std::size_t id_slot(const std::vector<Index>& slots, const IdOf& id_of, std::string_view id) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t at = std::hash<std::string_view>{}(id)&mask;; at = (at + 1) & mask) {
        if (slots[at] == empty_slot || id_of(slots[at]) == id) return at;
    }
}

/// The revision declaring `id`, if any.
template <class IdOf>
std::optional<Index> find_id(const std::vector<Index>& slots, const IdOf& id_of, std::string_view id) {
    if (slots.empty()) return std::nullopt;
    const Index found = slots[id_slot(slots, id_of, id)];
    if (found == empty_slot) return std::nullopt;
    return found;
}

/// Appends `value` unless `list` holds it already.
template <class Item>
void push_unique(std::vector<Item>& list, std::string_view value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.emplace_back(value);
}

/// Marks everything reachable from `from` through `next` (inclusive); iterative, so deep chains are fine.
template <class Next>
std::vector<char> mark_reachable(std::size_t count, std::span<const Index> from, Next&& next) {
    std::vector<char> marks(count, 0);
    std::vector<Index> stack(from.begin(), from.end());
    while (!stack.empty()) {
        const Index at = stack.back();
        stack.pop_back();
        if (marks[at]) continue;
        marks[at] = 1;
        for (const Index to : next(at))
            if (!marks[to]) stack.push_back(to);
    }
    return marks;
}

/// Alembic's list of current heads, in its order, as links between revisions: a revision is in it at most
/// once, and removing or replacing the candidate costs O(1) where erasing from a vector moved every later
/// slot (a blocked chain waits at the front while the chain above it is emitted one by one).
///
/// Each slot also has a rank that grows along the list: a new slot at the back takes the next one, and a
/// revision that replaces another takes its rank. A rank's version changes whenever its slot does.
///
/// The cursor serves the search of one blocked revision's first descendant slot: no slot before it is
/// one. Replacing a slot keeps that true (a slot's parent is a descendant only if the slot is), new slots
/// go to the back, and removing the cursor's slot moves it one back.
class SlotList {
public:
    explicit SlotList(std::size_t count)
        : prev_(count, none), next_(count, none), rank_(count, none), in_(count, 0) {}

    static constexpr Index none = empty_slot;

    bool empty() const { return first_ == none; }
    bool contains(Index at) const { return in_[at] != 0; }
    Index first() const { return first_; }
    Index after(Index at) const { return next_[at]; }
    Index rank(Index at) const { return rank_[at]; }
    Index at_rank(Index rank) const { return at_rank_[rank]; }
    std::uint32_t version(Index rank) const { return version_[rank]; }

    void push_back(Index at) {
        in_[at] = 1;
        prev_[at] = last_;
        next_[at] = none;
        (last_ == none ? first_ : next_[last_]) = at;
        last_ = at;
        rank_[at] = static_cast<Index>(at_rank_.size());
        at_rank_.push_back(at);
        version_.push_back(0);
    }
    /// Puts `by` where `at` is.
    void replace(Index at, Index by) {
        in_[by] = 1;
        prev_[by] = prev_[at];
        next_[by] = next_[at];
        (prev_[at] == none ? first_ : next_[prev_[at]]) = by;
        (next_[at] == none ? last_ : prev_[next_[at]]) = by;
        in_[at] = 0;
        rank_[by] = rank_[at];
        at_rank_[rank_[by]] = by;
        ++version_[rank_[by]];
        if (cursor_ == at) {
            cursor_ = by;
        }
    }
    /// Removes `at`; returns the slot before it, or the first slot when it was the first (Alembic's
    /// `max(index - 1, 0)`).
    Index remove(Index at) {
        const Index before = prev_[at];
        (before == none ? first_ : next_[before]) = next_[at];
        (next_[at] == none ? last_ : prev_[next_[at]]) = before;
        in_[at] = 0;
        at_rank_[rank_[at]] = none;
        ++version_[rank_[at]];
        if (cursor_ == at) {
            cursor_ = before;
        }
        return before == none ? first_ : before;
    }

    /// Where a search may start (the first slot when none is known): no slot before it matched.
    Index cursor() const { return cursor_ == none ? first_ : cursor_; }
    void set_cursor(Index at) { cursor_ = at; }

private:
    std::vector<Index> prev_, next_, rank_, at_rank_;
    std::vector<std::uint32_t> version_;
    std::vector<char> in_;
    Index first_ = none, last_ = none, cursor_ = none;
};

/// What a walk visited, for the tests that hold it to linear time.
struct WalkCounters {
    std::size_t blocked = 0;      // times a candidate had to give way
    std::size_t searched = 0;     // revisions looked at above a blocked one
    std::size_t slot_visits = 0;  // slots looked at for the first marked one
};

/// Alembic's _topological_sort, reproduced step for step but without its per-head ancestor sets.
///
/// Alembic keeps a list of "current heads" (slots), emits the candidate slot's revision unless it is an
/// ancestor of another slot's revision (then it switches to the first such slot), and replaces an emitted
/// revision by its parents. "Ancestor of another slot" is equivalent to "has a child in the to-do set that
/// is not emitted yet" (every pending revision lies below some slot, and the to-do sets are convex), so a
/// per-revision pending-children counter answers it in O(1).
///
/// Which slot comes first among a blocked revision's descendants is the lowest rank over its pending
/// children of "the lowest slot rank at or above this revision". That value is remembered per revision with
/// the version of its rank: while that slot is unchanged it is still pending above the revision (a
/// revision below a pending slot cannot be emitted), and no lower rank can appear above it (new slots take
/// higher ranks; a revision that takes a slot's rank lies below that slot). So a blocked revision only
/// recomputes what changed since it, or a neighbour, was last asked, where marking all its pending
/// descendants each time was quadratic on a chain whose every revision has a second head above it.
///
/// A revision blocked twice in a row is different: the slots above it are usually being emitted one by
/// one (a chain waiting for the chain above it), and each would change the remembered ranks of everything
/// between. So the second time, its pending descendants are marked once, and the search for the first
/// marked slot resumes at the cursor.
template <class Parents, class Children>
std::vector<Index> alembic_topological_walk(std::size_t count, const Parents& parents,
                                            const Children& children, std::vector<char> todo,
                                            const std::vector<Index>& start,
                                            WalkCounters* counters = nullptr) {
    std::vector<std::uint32_t> pending(count, 0);
    std::size_t remaining = 0;
    for (Index i = 0; i < count; ++i) {
        if (!todo[i]) continue;
        ++remaining;
        for (const Index parent : parents(i))
            if (todo[parent]) ++pending[parent];
    }
    SlotList slots(count);
    for (const Index head : start)
        if (todo[head] && !slots.contains(head)) slots.push_back(head);
    std::vector<Index> out;
    out.reserve(remaining);
    constexpr Index no_rank = SlotList::none;
    std::vector<Index> lowest(count, no_rank);
    std::vector<std::uint32_t> lowest_version(count, 0);
    auto known = [&](Index at) {
        return lowest[at] != no_rank && slots.version(lowest[at]) == lowest_version[at];
    };
    std::vector<std::uint32_t> seen(count, 0);
    std::uint32_t stamp = 0;
    std::vector<std::pair<Index, bool>> stack;
    // The lowest slot rank among the pending revisions at or above `from`'s pending children.
    auto lowest_above_children = [&](Index from) {
        ++stamp;
        stack.clear();
        for (const Index child : children(from))
            if (todo[child] && !known(child)) stack.emplace_back(child, false);
        while (!stack.empty()) {
            const auto [at, expanded] = stack.back();
            stack.pop_back();
            if (expanded) {
                Index low = slots.contains(at) ? slots.rank(at) : no_rank;
                for (const Index child : children(at))
                    if (todo[child]) low = std::min(low, lowest[child]);
                lowest[at] = low;
                if (low != no_rank) lowest_version[at] = slots.version(low);
                continue;
            }
            if (seen[at] == stamp) continue;
            seen[at] = stamp;
            if (counters != nullptr) {
                ++counters->searched;
            }
            stack.emplace_back(at, true);
            for (const Index child : children(at))
                if (todo[child] && seen[child] != stamp && !known(child)) stack.emplace_back(child, false);
        }
        Index low = no_rank;
        for (const Index child : children(from))
            if (todo[child]) low = std::min(low, lowest[child]);
        return low;
    };
    std::vector<std::uint32_t> marks(count, 0);
    std::uint32_t mark = 0;
    // The first slot at or after the cursor that `candidate` lies below, all its pending descendants
    // marked once.
    auto first_marked_slot = [&](Index candidate, bool fresh) {
        if (fresh) {
            ++mark;
            std::vector<Index> todo_stack;
            for (const Index child : children(candidate))
                if (todo[child]) todo_stack.push_back(child);
            while (!todo_stack.empty()) {
                const Index at = todo_stack.back();
                todo_stack.pop_back();
                if (marks[at] == mark) continue;
                marks[at] = mark;
                if (counters != nullptr) {
                    ++counters->searched;
                }
                for (const Index child : children(at))
                    if (todo[child] && marks[child] != mark) todo_stack.push_back(child);
            }
            slots.set_cursor(SlotList::none);
        }
        for (Index j = slots.cursor(); j != SlotList::none; j = slots.after(j)) {
            if (counters != nullptr) {
                ++counters->slot_visits;
            }
            if (j != candidate && marks[j] == mark) {
                slots.set_cursor(j);
                return j;
            }
        }
        return SlotList::none;
    };
    std::optional<Index> last_blocked;
    std::optional<Index> marked_for;
    std::vector<Index> to_add;
    Index current = slots.first();
    while (!slots.empty()) {
        const Index candidate = current;
        if (todo[candidate] && pending[candidate] > 0) {
            if (counters != nullptr) {
                ++counters->blocked;
            }
            Index next = SlotList::none;
            if (last_blocked == candidate) {
                next = first_marked_slot(candidate, marked_for != candidate);
                marked_for = candidate;
            } else {
                last_blocked = candidate;
                const Index rank = lowest_above_children(candidate);
                if (rank != no_rank) next = slots.at_rank(rank);
            }
            if (next != SlotList::none) {
                current = next;
                continue;
            }
            // Not reachable with a consistent to-do set; emitting keeps the walk finite.
        }
        if (todo[candidate]) {
            out.push_back(candidate);
            todo[candidate] = 0;
            for (const Index parent : parents(candidate)) {
                if (todo[parent]) --pending[parent];
            }
        }
        to_add.clear();
        for (const Index parent : parents(candidate)) {
            if (todo[parent] && !slots.contains(parent) &&
                std::find(to_add.begin(), to_add.end(), parent) == to_add.end()) {
                to_add.push_back(parent);
            }
        }
        if (to_add.empty()) {
            current = slots.remove(candidate);
        } else {
            slots.replace(candidate, to_add.front());
            current = to_add.front();
            for (std::size_t k = 1; k < to_add.size(); ++k) slots.push_back(to_add[k]);
        }
    }
    if (out.size() != remaining) {
        throw Error(fmt::format("internal error: the revision walk reached {} of {} revisions", out.size(),
                                remaining));
    }
    return out;
}

}  // namespace migrator::script::graph
