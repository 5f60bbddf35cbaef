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

#include "migrator/script/revision_map.hpp"
#include "migrator/util/error.hpp"

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

/// Alembic's _topological_sort, reproduced step for step but without its per-head ancestor sets.
///
/// Alembic keeps a list of "current heads" (slots), emits the candidate slot's revision unless it is an
/// ancestor of another slot's revision (then it switches to the first such slot), and replaces an emitted
/// revision by its parents. "Ancestor of another slot" is equivalent to "has a child in the to-do set that
/// is not emitted yet" (every pending revision lies below some slot, and the to-do sets are convex), so a
/// per-revision pending-children counter answers it in O(1). Only when a revision is blocked do we look
/// upwards through the pending region to find which slot comes first, which is the order Alembic picks.
/// Alembic's list of current heads, in its order, as links between revisions: a revision is in it at most
/// once, and removing or replacing the candidate costs O(1) where erasing from a vector moved every later
/// slot (a blocked chain waits at the front while the chain above it is emitted one by one).
class SlotList {
public:
    explicit SlotList(std::size_t count) : prev_(count, none), next_(count, none), in_(count, 0) {}

    static constexpr Index none = empty_slot;

    bool empty() const { return first_ == none; }
    bool contains(Index at) const { return in_[at] != 0; }
    Index first() const { return first_; }
    Index after(Index at) const { return next_[at]; }

    void push_back(Index at) {
        in_[at] = 1;
        prev_[at] = last_;
        next_[at] = none;
        (last_ == none ? first_ : next_[last_]) = at;
        last_ = at;
    }
    /// Puts `by` where `at` is.
    void replace(Index at, Index by) {
        in_[by] = 1;
        prev_[by] = prev_[at];
        next_[by] = next_[at];
        (prev_[at] == none ? first_ : next_[prev_[at]]) = by;
        (next_[at] == none ? last_ : prev_[next_[at]]) = by;
        in_[at] = 0;
    }
    /// Removes `at`; returns the slot before it, or the first slot when it was the first (Alembic's
    /// `max(index - 1, 0)`).
    Index remove(Index at) {
        const Index before = prev_[at];
        (before == none ? first_ : next_[before]) = next_[at];
        (next_[at] == none ? last_ : prev_[next_[at]]) = before;
        in_[at] = 0;
        return before == none ? first_ : before;
    }

private:
    std::vector<Index> prev_, next_;
    std::vector<char> in_;
    Index first_ = none, last_ = none;
};

template <class Parents, class Children>
std::vector<Index> alembic_topological_walk(std::size_t count, const Parents& parents,
                                            const Children& children, std::vector<char> todo,
                                            const std::vector<Index>& start) {
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
    std::vector<std::uint32_t> seen(count, 0);
    std::uint32_t stamp = 0;
    std::vector<Index> stack;
    std::vector<Index> to_add;
    Index current = slots.first();
    // The revision whose pending descendants `seen` marks with `stamp`. The to-do set only shrinks, so the
    // marks stay true for it: a revision blocked by a long pending chain above it is searched once, not once
    // for every revision emitted above it.
    std::optional<Index> marked_for;
    while (!slots.empty()) {
        const Index candidate = current;
        if (todo[candidate] && pending[candidate] > 0) {
            if (marked_for != candidate) {
                marked_for = candidate;
                ++stamp;
                stack.clear();
                for (const Index child : children(candidate))
                    if (todo[child]) stack.push_back(child);
                while (!stack.empty()) {
                    const Index at = stack.back();
                    stack.pop_back();
                    if (seen[at] == stamp) continue;
                    seen[at] = stamp;
                    for (const Index child : children(at))
                        if (todo[child] && seen[child] != stamp) stack.push_back(child);
                }
            }
            Index next = SlotList::none;
            for (Index j = slots.first(); j != SlotList::none; j = slots.after(j)) {
                if (j != current && seen[j] == stamp) {
                    next = j;
                    break;
                }
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
            for (const Index parent : parents(candidate))
                if (todo[parent]) --pending[parent];
        }
        to_add.clear();
        for (const Index parent : parents(candidate))
            if (todo[parent] && !slots.contains(parent) &&
                std::find(to_add.begin(), to_add.end(), parent) == to_add.end())
                to_add.push_back(parent);
        if (to_add.empty()) {
            current = slots.remove(candidate);
        } else {
            slots.replace(candidate, to_add.front());
            current = to_add.front();
            for (std::size_t k = 1; k < to_add.size(); ++k) slots.push_back(to_add[k]);
        }
    }
    if (out.size() != remaining)
        throw Error(fmt::format("internal error: the revision walk reached {} of {} revisions", out.size(),
                                remaining));
    return out;
}

}  // namespace migrator::script::graph
