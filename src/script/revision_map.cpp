#include "migrator/script/revision_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "migrator/script/target.hpp"
#include "migrator/util/strings.hpp"

namespace migrator::script {
namespace {

using Index = RevisionMap::Index;
std::string path_of(std::string_view path) {
    return path.empty() ? std::string("<unnamed script>") : std::string(path);
}

/// Lists of indices stored back to back, row i being items[offsets[i] .. offsets[i + 1]): one allocation
/// per table instead of one per revision, which at 10,000 revisions was most of the builder's memory.
/// Rows are appended in index order.
struct Rows {
    std::vector<Index> offsets{0};
    std::vector<Index> items;

    [[nodiscard]] std::span<const Index> of(Index i) const {
        return {items.data() + offsets[i], items.data() + offsets[i + 1]};
    }
    [[nodiscard]] std::span<const Index> operator[](Index i) const { return of(i); }
    void push(Index value) { items.push_back(value); }
    void push_unique(Index value) {
        const auto row_start = items.begin() + static_cast<std::ptrdiff_t>(offsets.back());
        if (std::find(row_start, items.end(), value) == items.end()) items.push_back(value);
    }
    void end_row() { offsets.push_back(static_cast<Index>(items.size())); }
};

/// Row j lists every i whose row names j, in ascending i (what push_back in index order gave).
Rows transpose(const Rows& rows, std::size_t count) {
    Rows out;
    out.offsets.assign(count + 1, 0);
    for (const Index item : rows.items) ++out.offsets[item + 1];
    for (std::size_t i = 0; i < count; ++i) out.offsets[i + 1] += out.offsets[i];
    out.items.resize(rows.items.size());
    std::vector<Index> fill(out.offsets.begin(), out.offsets.end() - 1);
    for (Index i = 0; i + 1 < rows.offsets.size(); ++i)
        for (const Index item : rows.of(i)) out.items[fill[item]++] = i;
    return out;
}

constexpr Index empty_slot = std::numeric_limits<Index>::max();

/// Slots for an open-addressing table of `count` ids: a power of two, at most half full.
std::vector<Index> id_slots_for(std::size_t count) {
    std::size_t size = 16;
    while (size < 2 * count) size *= 2;
    return std::vector<Index>(size, empty_slot);
}

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

/// Alembic's map order is by file path; the loader's order usually is that already.
void sort_by_path(ScriptCatalog& scripts) {
    std::vector<Index> order(scripts.size());
    for (Index i = 0; i < order.size(); ++i) order[i] = i;
    const auto by_path = [&](Index a, Index b) { return scripts.path_less(a, b); };
    if (std::is_sorted(order.begin(), order.end(), by_path)) return;
    std::stable_sort(order.begin(), order.end(), by_path);
    scripts.permute(order);
}

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

/// Ids of the revisions on cycles (Kahn's algorithm from both ends), sorted.
template <class IdOf>
std::vector<std::string> unorderable(std::size_t count, const IdOf& id_of, const Rows& parents,
                                     const Rows& children) {
    std::vector<std::size_t> indegree(count, 0);
    std::vector<Index> ready;
    for (Index i = 0; i < count; ++i) {
        indegree[i] = parents[i].size();
        if (indegree[i] == 0) ready.push_back(i);
    }
    std::vector<char> done(count, 0);
    while (!ready.empty()) {
        const Index at = ready.back();
        ready.pop_back();
        done[at] = 1;
        for (const Index child : children[at])
            if (--indegree[child] == 0) ready.push_back(child);
    }
    // Peel what merely sits above a cycle, so only revisions on cycles are named.
    std::vector<std::size_t> outdegree(count, 0);
    for (Index i = 0; i < count; ++i) {
        if (done[i]) continue;
        for (const Index child : children[i])
            if (!done[child]) ++outdegree[i];
        if (outdegree[i] == 0) ready.push_back(i);
    }
    while (!ready.empty()) {
        const Index at = ready.back();
        ready.pop_back();
        done[at] = 1;
        for (const Index parent : parents[at])
            if (!done[parent] && --outdegree[parent] == 0) ready.push_back(parent);
    }
    std::vector<std::string> stuck;
    for (Index i = 0; i < count; ++i)
        if (!done[i]) stuck.emplace_back(id_of(i));
    std::sort(stuck.begin(), stuck.end());
    return stuck;
}

/// Alembic _detect_cycles for one edge set, then Kahn's algorithm for cycles Alembic's test misses.
template <class IdOf>
void detect_cycles(std::size_t count, const IdOf& id_of, const Rows& parents, const Rows& children,
                   const std::vector<Index>& heads, const std::vector<Index>& bases, std::string_view kind) {
    if (count == 0) return;
    auto fail = [&](const std::vector<std::string>& ids) {
        throw Error(fmt::format("{} is detected in revisions ({})", kind, util::join(ids)));
    };
    if (heads.empty() || bases.empty()) {
        std::vector<std::string> all;
        for (Index i = 0; i < count; ++i) all.emplace_back(id_of(i));
        fail(all);
    }
    const auto down =
        mark_reachable(count, heads, [&](Index i) { return std::span<const Index>(parents[i]); });
    const auto up =
        mark_reachable(count, bases, [&](Index i) { return std::span<const Index>(children[i]); });
    std::vector<std::string> outside;
    for (Index i = 0; i < count; ++i)
        if (!down[i] || !up[i]) outside.emplace_back(id_of(i));
    std::sort(outside.begin(), outside.end());
    if (!outside.empty()) fail(outside);
    if (auto stuck = unorderable(count, id_of, parents, children); !stuck.empty()) fail(stuck);
}

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

/// Builds a RevisionMap in file order, then re-indexes it in topological order.
struct RevisionMapBuilder {
    static RevisionMap run(ScriptCatalog scripts);
};

RevisionMap RevisionMapBuilder::run(ScriptCatalog files) {
    using Field = ScriptCatalog::Field;
    using List = ScriptCatalog::List;
    if (files.size() >= std::numeric_limits<Index>::max()) throw Error("too many revisions");
    sort_by_path(files);
    RevisionMap map;
    const auto count = static_cast<Index>(files.size());
    const auto id = [&](Index f) { return files.text(f, Field::Revision); };
    const auto path = [&](Index f) { return path_of(files.path(f)); };
    const auto items = [&](Index f, List list) {
        std::vector<std::string_view> out(files.count(f, list));
        for (std::size_t k = 0; k < out.size(); ++k) out[k] = files.item(f, list, k);
        return out;
    };

    // Ids: Revision.__init__ checks, then uniqueness (Alembic only warns; we refuse).
    std::vector<Index> id_slots = id_slots_for(count);
    for (Index f = 0; f < count; ++f) {
        const std::string_view revision = id(f);
        if (revision.empty()) throw Error(fmt::format("{}: the script declares no revision id", path(f)));
        std::string illegal;
        for (const char c : std::string_view("+-:@"))
            if (revision.find(c) != std::string_view::npos)
                illegal += illegal.empty() ? std::string(1, c) : fmt::format(", {}", c);
        if (!illegal.empty())
            throw Error(fmt::format("Character(s) '{}' not allowed in revision identifier '{}' ({})", illegal,
                                    revision, path(f)));
        for (const std::string_view down : items(f, List::DownRevisions))
            if (down == revision)
                throw Error(fmt::format("Self-loop is detected in revisions ({}) ({})", revision, path(f)));
        for (const std::string_view dep : items(f, List::DependsOn))
            if (dep == revision)
                throw Error(fmt::format("Dependency self-loop is detected in revisions ({}) ({})", revision,
                                        path(f)));
        const std::size_t slot = id_slot(id_slots, id, revision);
        if (id_slots[slot] != empty_slot)
            throw Error(fmt::format("Revision {} is present more than once: {} and {}", revision,
                                    path(id_slots[slot]), path(f)));
        id_slots[slot] = f;
    }
    const auto file_of_id = [&](std::string_view wanted) { return find_id(id_slots, id, wanted); };

    // Branch labels share one namespace with revision ids, as in Alembic's map.
    std::unordered_map<std::string_view, Index> label_of;
    bool any_labels = false;
    for (Index f = 0; f < count; ++f) {
        for (const std::string_view label : items(f, List::BranchLabels)) {
            any_labels = true;
            std::optional<Index> taken;
            if (const auto owner = file_of_id(label)) taken = *owner;
            if (const auto other = label_of.find(label); other != label_of.end()) taken = other->second;
            if (taken)
                throw Error(fmt::format("Branch name '{}' in revision {} already used by revision {} ({})",
                                        label, id(f), id(*taken), path(f)));
            label_of.emplace(label, f);
            map.label_order_.emplace_back(label, f);
        }
    }

    Rows down, deps, down_all;
    for (Index f = 0; f < count; ++f) {
        for (const std::string_view parent : items(f, List::DownRevisions)) {
            const auto parent_file = file_of_id(parent);
            if (!parent_file)
                throw Error(fmt::format("Revision {} referenced from {} is not present ({})", parent, id(f),
                                        path(f)));
            down.push_unique(*parent_file);
        }
        down.end_row();
        for (const std::string_view dep : items(f, List::DependsOn)) {
            std::optional<Index> target;
            if (const auto owner = file_of_id(dep)) target = *owner;
            if (const auto label = label_of.find(dep); label != label_of.end()) target = label->second;
            if (!target)
                throw Error(fmt::format(
                    "Revision {} depends on '{}', which is neither a revision nor a branch label ({})", id(f),
                    dep, path(f)));
            if (*target == f)
                throw Error(
                    fmt::format("Dependency self-loop is detected in revisions ({}) ({})", id(f), path(f)));
            deps.push_unique(*target);
        }
        deps.end_row();
        for (const Index parent : down[f]) down_all.push(parent);
        for (const Index dep : deps[f]) down_all.push_unique(dep);
        down_all.end_row();
    }
    label_of = {};
    const Rows next = transpose(down, count);
    Rows next_all = transpose(down_all, count);

    std::vector<Index> heads, real_heads, bases, real_bases;
    for (Index f = 0; f < count; ++f) {
        if (next[f].empty()) heads.push_back(f);
        if (next_all[f].empty()) real_heads.push_back(f);
        if (down[f].empty()) bases.push_back(f);
        if (down[f].empty() && files.count(f, List::DependsOn) == 0) real_bases.push_back(f);
    }
    detect_cycles(count, id, down, next, heads, bases, "Cycle");
    detect_cycles(count, id, down_all, next_all, real_heads, real_bases, "Dependency cycle");
    down_all = {};

    // Alembic _normalize_depends_on drops a dependency d of r when some versioned ancestor of r also
    // depends on d, by walking every revision's ancestors (quadratic). Equivalently: d is dropped from r
    // iff r is a proper versioned descendant of another revision naming d. So only targets named by two
    // or more revisions need work, and for each of them one DFS over versioned children, started from the
    // children of the revisions naming it, marks exactly the revisions whose dependency is implied.
    // Targets named once (the common case) cost nothing; the total is O(N + E) per shared target.
    std::vector<std::pair<Index, Index>> implied;  // (revision, dependency it need not name)
    {
        const Rows named_by = transpose(deps, count);
        std::vector<std::uint32_t> seen(count, 0);
        std::uint32_t stamp = 0;
        std::vector<Index> stack;
        for (Index dep = 0; dep < count; ++dep) {
            if (named_by[dep].size() < 2) continue;
            ++stamp;
            stack.clear();
            for (const Index naming : named_by[dep])
                stack.insert(stack.end(), next[naming].begin(), next[naming].end());
            while (!stack.empty()) {
                const Index at = stack.back();
                stack.pop_back();
                if (seen[at] == stamp) continue;
                seen[at] = stamp;
                for (const Index child : next[at])
                    if (seen[child] != stamp) stack.push_back(child);
            }
            for (const Index naming : named_by[dep])
                if (seen[naming] == stamp) implied.emplace_back(naming, dep);
        }
        std::sort(implied.begin(), implied.end());
    }
    Rows normalized, down_norm;
    for (Index f = 0; f < count; ++f) {
        for (const Index dep : deps[f])
            if (!std::binary_search(implied.begin(), implied.end(), std::pair<Index, Index>(f, dep)))
                normalized.push(dep);
        normalized.end_row();
        for (const Index parent : down[f]) down_norm.push(parent);
        for (const Index dep : normalized[f]) down_norm.push_unique(dep);
        down_norm.end_row();
    }
    // Display labels (Alembic _add_branches): every descendant, then down the line to the nearest
    // branch point or merge point. Costs O(N) per declared label.
    std::vector<std::vector<std::string_view>> labels(any_labels ? count : 0);
    for (Index f = 0; f < count && any_labels; ++f) {
        const auto declared = items(f, List::BranchLabels);
        if (declared.empty()) continue;
        const Index from[] = {f};
        const auto below = mark_reachable(count, from, [&](Index i) { return next[i]; });
        for (Index i = 0; i < count; ++i)
            if (below[i])
                for (const std::string_view label : declared) push_unique(labels[i], label);
        for (Index at = f; next_all[at].size() <= 1 && down[at].size() <= 1;) {
            for (const std::string_view label : declared) push_unique(labels[at], label);
            if (down[at].empty()) break;
            at = down[at].front();
        }
    }

    // Topological order: the full history walk (newest first), reversed.
    std::vector<char> everything(count, 1);
    auto order = alembic_topological_walk(
        count, [&](Index i) { return down_norm[i]; }, [&](Index i) { return next_all[i]; },
        std::move(everything), real_heads);
    std::reverse(order.begin(), order.end());
    std::vector<Index> position(count);
    for (Index i = 0; i < count; ++i) position[order[i]] = i;

    auto remap = [&](const Rows& rows) {
        RevisionMap::Adjacency adjacency;
        adjacency.offsets.reserve(count + 1U);
        adjacency.items.reserve(rows.items.size());
        for (Index i = 0; i < count; ++i) {
            for (const Index item : rows[order[i]]) adjacency.items.push_back(position[item]);
            adjacency.offsets.push_back(static_cast<std::uint32_t>(adjacency.items.size()));
        }
        return adjacency;
    };
    map.down_versioned_ = remap(down);
    map.down_normalized_ = remap(down_norm);
    down_norm = {};
    map.next_versioned_ = remap(next);
    map.next_all_ = remap(next_all);
    next_all = {};
    auto remap_list = [&](const std::vector<Index>& list) {
        std::vector<Index> out;
        out.reserve(list.size());
        for (const Index f : list) out.push_back(position[f]);
        return out;
    };
    map.heads_ = remap_list(heads);
    map.real_heads_ = remap_list(real_heads);
    map.bases_ = remap_list(bases);
    std::vector<Index> ranks(count);
    for (Index f = 0; f < count; ++f) ranks[f] = f;
    map.by_file_rank_ = remap_list(ranks);
    ranks = {};
    map.file_rank_.resize(count);
    for (Index f = 0; f < count; ++f) map.file_rank_[position[f]] = f;
    for (auto& [label, owner] : map.label_order_) owner = position[owner];
    for (Index& slot : id_slots)
        if (slot != empty_slot) slot = position[slot];
    map.id_slots_ = std::move(id_slots);

    // Every list goes into one pool of views, sized exactly so that no view moves; the revisions view
    // ranges of it in the order of Revision's lists.
    std::vector<std::string_view>& pool = map.list_pool_;
    std::size_t pool_size =
        down.items.size() + deps.items.size() + normalized.items.size() + next.items.size();
    for (Index f = 0; f < count; ++f)
        pool_size += files.count(f, List::DependsOn) + files.count(f, List::BranchLabels) +
                     (any_labels ? labels[f].size() : 0);
    pool.reserve(pool_size);
    map.revisions_.resize(count);
    for (Index i = 0; i < count; ++i) {
        const Index f = order[i];
        Revision& revision = map.revisions_[i];
        revision.text_ = id(f).data();
        revision.directory_ = &files.directory(f);
        const Field fields[] = {Field::Revision, Field::Message, Field::CreateDate, Field::FileName};
        for (std::size_t k = 0; k < revision.sizes_.size(); ++k)
            revision.sizes_[k] = static_cast<std::uint32_t>(files.text(f, fields[k]).size());
        const std::size_t start = pool.size();
        const auto add_ids = [&](std::span<const Index> list) {
            for (const Index other : list) pool.push_back(id(other));
            return list.size();
        };
        const auto add_items = [&](List list) {
            for (std::size_t k = 0; k < files.count(f, list); ++k) pool.push_back(files.item(f, list, k));
            return files.count(f, list);
        };
        const std::size_t sizes[] = {add_ids(down[f]),
                                     add_items(List::DependsOn),
                                     add_ids(deps[f]),
                                     add_ids(normalized[f]),
                                     add_ids(next[f]),
                                     add_items(List::BranchLabels),
                                     any_labels ? labels[f].size() : 0};
        if (any_labels) pool.insert(pool.end(), labels[f].begin(), labels[f].end());
        revision.lists_ = pool.data() + start;
        for (std::size_t k = 0; k < revision.counts_.size(); ++k)
            revision.counts_[k] = static_cast<std::uint32_t>(sizes[k]);
        revision.flags_ = static_cast<std::uint8_t>(
            (down[f].empty() ? Revision::base_flag : 0U) | (next[f].empty() ? Revision::head_flag : 0U) |
            (map.next_all_.of(i).empty() ? Revision::real_head_flag : 0U) |
            (next[f].size() > 1 ? Revision::branch_point_flag : 0U));
    }
    for (const auto& [label, owner] : map.label_order_) map.by_label_.emplace(label, owner);
    // Moving the buffers keeps their addresses, so every view and pointer taken above stays valid.
    auto storage = std::move(files).release();
    map.text_ = std::move(storage.text);
    map.directories_ = std::move(storage.directories);
    return map;
}

RevisionMap RevisionMap::build(ScriptCatalog scripts) {
    scripts.shrink_to_fit();
    return RevisionMapBuilder::run(std::move(scripts));
}

RevisionMap RevisionMap::build(const std::vector<Script>& scripts) {
    ScriptCatalog catalog;
    for (const Script& script : scripts) catalog.add(script);
    return build(std::move(catalog));
}

const Revision* RevisionMap::find(std::string_view exact_id) const {
    const auto position = position_of_id(exact_id);
    return position ? &revisions_[*position] : nullptr;
}

std::optional<RevisionMap::Index> RevisionMap::position_of_id(std::string_view id) const {
    return find_id(
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
    return mark_reachable(size(), from, [&](Index i) { return parents(i, mode); });
}

std::vector<char> RevisionMap::descendants(std::span<const Index> from, EdgeMode mode) const {
    return mark_reachable(size(), from, [&](Index i) { return children(i, mode); });
}

std::vector<RevisionMap::Index> RevisionMap::topological_walk(std::vector<char> todo,
                                                              std::span<const Index> heads) const {
    std::vector<Index> start(heads.begin(), heads.end());
    std::stable_sort(start.begin(), start.end(),
                     [&](Index a, Index b) { return file_rank_[a] < file_rank_[b]; });
    return alembic_topological_walk(
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
            if (other != r && under[other]) push_unique(overlaps, revisions_[other].id());
        if (!overlaps.empty())
            throw Error(fmt::format("Requested revision {} overlaps with other requested revisions {}",
                                    revisions_[r].id(), util::join(overlaps)));
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
    if (id == "heads")
        return {branch.empty() ? real_heads_ : filter_for_lineage(heads_, branch, EdgeMode::Versioned),
                branch};
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
        if (!lineage[*found])
            throw Error(fmt::format("Revision {} is not a member of branch '{}'", revisions_[*found].id(),
                                    check_branch));
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
            for (const Index i : indices)
                if (!lineage[i])
                    throw Error(fmt::format("Revision {} is not a member of branch '{}'", revisions_[i].id(),
                                            branch));
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
            if (!lineage_marks(branch, EdgeMode::Versioned)[indices.front()])
                throw Error(fmt::format("Revision {} is not a member of branch '{}'",
                                        revisions_[indices.front()].id(), branch));
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
            for (const auto& position : next) options.emplace_back(revisions_[position.index].id());
            // The way out is to name the revision: a relative step cannot choose between branches.
            std::vector<std::string> commands;
            for (const auto& option : options)
                commands.push_back(
                    fmt::format("'migrator {} {}'", steps > 0 ? "upgrade" : "downgrade", option));
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
        if (colon == std::string_view::npos || range.find(':', colon + 1) != std::string_view::npos)
            throw Error(
                fmt::format("History range '{}' should be [start]:[end], [start]:, or :[end]", range));
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
            if (labels.size() != 1)
                throw Error(
                    fmt::format("Revision {} used as a branch must carry exactly one branch label", branch));
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
    for (const Index c : current)
        if (!required[c])
            throw Error(fmt::format(
                "Requested range {} does not refer to ancestor/descendant revisions along the same branch",
                shown_range));
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
        for (const Index h : heads)
            if (!revisions_[h].is_head())
                throw Error(
                    fmt::format("Revision {} is not a head revision; please specify --splice to create a new "
                                "branch from this "
                                "revision",
                                revisions_[h].id()));
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
