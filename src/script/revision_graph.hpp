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
    std::vector<char> in_slot(count, 0);
    std::vector<Index> slots;
    for (const Index head : start) {
        if (todo[head] && !in_slot[head]) {
            slots.push_back(head);
            in_slot[head] = 1;
        }
    }
    std::vector<Index> out;
    out.reserve(remaining);
    std::vector<std::uint32_t> seen(count, 0);
    std::uint32_t stamp = 0;
    std::vector<Index> stack;
    std::vector<Index> to_add;
    std::size_t current = 0;
    while (!slots.empty()) {
        const Index candidate = slots[current];
        if (todo[candidate] && pending[candidate] > 0) {
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
            std::size_t next = slots.size();
            for (std::size_t j = 0; j < slots.size(); ++j) {
                if (j != current && seen[slots[j]] == stamp) {
                    next = j;
                    break;
                }
            }
            if (next != slots.size()) {
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
            if (todo[parent] && !in_slot[parent]) to_add.push_back(parent);
        in_slot[candidate] = 0;
        if (to_add.empty()) {
            slots.erase(slots.begin() + static_cast<std::ptrdiff_t>(current));
            current = current > 0 ? current - 1 : 0;
        } else {
            slots[current] = to_add.front();
            in_slot[to_add.front()] = 1;
            for (std::size_t k = 1; k < to_add.size(); ++k) {
                slots.push_back(to_add[k]);
                in_slot[to_add[k]] = 1;
            }
        }
    }
    if (out.size() != remaining)
        throw Error(fmt::format("internal error: the revision walk reached {} of {} revisions", out.size(),
                                remaining));
    return out;
}

}  // namespace migrator::script::graph
