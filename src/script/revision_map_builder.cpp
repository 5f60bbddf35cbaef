// RevisionMap::build: validates the scripts' headers and indexes the graph, in named steps that follow
// Alembic's RevisionMap._revision_map. The map is built in file order, then re-indexed in topological order.
// Kept whole (about 500 lines): the steps share the builder's state and read in the order they run.

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "revision_graph.hpp"
#include "script/revision_map.hpp"
#include "util/strings.hpp"

namespace migrator::script {
namespace {

using graph::empty_slot;
using graph::Index;

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

/// Slots for an open-addressing table of `count` ids: a power of two, at most half full.
std::vector<Index> id_slots_for(std::size_t count) {
    std::size_t size = 16;
    while (size < 2 * count) size *= 2;
    return std::vector<Index>(size, empty_slot);
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
void detect_cycles_in(std::size_t count, const IdOf& id_of, const Rows& parents, const Rows& children,
                      const std::vector<Index>& heads, const std::vector<Index>& bases,
                      std::string_view kind) {
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
        graph::mark_reachable(count, heads, [&](Index i) { return std::span<const Index>(parents[i]); });
    const auto up =
        graph::mark_reachable(count, bases, [&](Index i) { return std::span<const Index>(children[i]); });
    std::vector<std::string> outside;
    for (Index i = 0; i < count; ++i)
        if (!down[i] || !up[i]) outside.emplace_back(id_of(i));
    std::sort(outside.begin(), outside.end());
    if (!outside.empty()) fail(outside);
    if (auto stuck = unorderable(count, id_of, parents, children); !stuck.empty()) fail(stuck);
}

}  // namespace

/// The steps of RevisionMap::build, in the order run() calls them. Indices are file positions (after
/// sort_by_path) until order_topologically; each step frees what no later step reads.
struct RevisionMapBuilder {
    static RevisionMap run(ScriptCatalog files);

private:
    using Field = ScriptCatalog::Field;
    using DeclaredList = ScriptCatalog::List;

    explicit RevisionMapBuilder(ScriptCatalog files);

    void index_ids();
    void map_branch_labels();
    void add_depends_on();
    void detect_cycles();
    void normalize_depends_on();
    void add_branches();
    void order_topologically();
    void pack_revisions();

    [[nodiscard]] std::string_view id(Index f) const { return files_.text(f, Field::Revision); }
    [[nodiscard]] std::string path(Index f) const { return path_of(files_.path(f)); }
    [[nodiscard]] std::vector<std::string_view> items(Index f, DeclaredList list) const {
        std::vector<std::string_view> out(files_.count(f, list));
        for (std::size_t k = 0; k < out.size(); ++k) out[k] = files_.item(f, list, k);
        return out;
    }
    [[nodiscard]] std::optional<Index> file_of_id(std::string_view wanted) const {
        return graph::find_id(
            id_slots_, [&](Index f) { return id(f); }, wanted);
    }

    ScriptCatalog files_;
    RevisionMap map_;
    Index count_ = 0;
    std::vector<Index> id_slots_;
    std::unordered_map<std::string_view, Index> label_of_;
    bool any_labels_ = false;
    Rows down_;        // declared down revisions, duplicates dropped
    Rows deps_;        // depends_on resolved to revisions
    Rows down_all_;    // down_ plus deps_
    Rows next_;        // down_ transposed
    Rows next_all_;    // down_all_ transposed
    Rows normalized_;  // deps_ without those implied by a versioned ancestor
    Rows down_norm_;   // down_ plus normalized_
    std::vector<Index> heads_, real_heads_, bases_, real_bases_;
    std::vector<std::vector<std::string_view>> labels_;  // declared plus spread labels (when any)
    std::vector<Index> order_;                           // file position of each topological index
    std::vector<Index> position_;                        // topological index of each file position
};

RevisionMapBuilder::RevisionMapBuilder(ScriptCatalog files) : files_(std::move(files)) {}

RevisionMap RevisionMapBuilder::run(ScriptCatalog files) {
    if (files.size() >= std::numeric_limits<Index>::max()) throw Error("too many revisions");
    sort_by_path(files);
    RevisionMapBuilder builder(std::move(files));
    builder.index_ids();
    builder.map_branch_labels();
    builder.add_depends_on();
    builder.detect_cycles();
    builder.normalize_depends_on();
    builder.add_branches();
    builder.order_topologically();
    builder.pack_revisions();
    return std::move(builder.map_);
}

// Revision.__init__'s checks, then uniqueness (Alembic only warns; we refuse).
void RevisionMapBuilder::index_ids() {
    count_ = static_cast<Index>(files_.size());
    id_slots_ = id_slots_for(count_);
    for (Index f = 0; f < count_; ++f) {
        const std::string_view revision = id(f);
        if (revision.empty()) throw Error(fmt::format("{}: the script declares no revision id", path(f)));
        std::string illegal;
        for (const char c : std::string_view("+-:@")) {
            if (revision.find(c) != std::string_view::npos)
                illegal += illegal.empty() ? std::string(1, c) : fmt::format(", {}", c);
        }
        if (!illegal.empty()) {
            throw Error(fmt::format("Character(s) '{}' not allowed in revision identifier '{}' ({})", illegal,
                                    revision, path(f)));
        }
        for (const std::string_view down : items(f, DeclaredList::DownRevisions)) {
            if (down == revision)
                throw Error(fmt::format("Self-loop is detected in revisions ({}) ({})", revision, path(f)));
        }
        for (const std::string_view dep : items(f, DeclaredList::DependsOn)) {
            if (dep == revision) {
                throw Error(fmt::format("Dependency self-loop is detected in revisions ({}) ({})", revision,
                                        path(f)));
            }
        }
        const std::size_t slot = graph::id_slot(
            id_slots_, [&](Index g) { return id(g); }, revision);
        if (id_slots_[slot] != empty_slot) {
            throw Error(fmt::format("Revision {} is present more than once: {} and {}", revision,
                                    path(id_slots_[slot]), path(f)));
        }
        id_slots_[slot] = f;
    }
}

// Alembic _map_branch_labels: branch labels share one namespace with revision ids.
void RevisionMapBuilder::map_branch_labels() {
    for (Index f = 0; f < count_; ++f) {
        for (const std::string_view label : items(f, DeclaredList::BranchLabels)) {
            any_labels_ = true;
            std::optional<Index> taken;
            if (const auto owner = file_of_id(label)) taken = *owner;
            if (const auto other = label_of_.find(label); other != label_of_.end()) taken = other->second;
            if (taken) {
                throw Error(fmt::format("Branch name '{}' in revision {} already used by revision {} ({})",
                                        label, id(f), id(*taken), path(f)));
            }
            label_of_.emplace(label, f);
            map_.label_order_.emplace_back(label, f);
        }
    }
}

// The edges: down revisions, and Alembic _add_depends_on (depends_on resolved through ids and labels).
// One pass per revision, so that the first broken revision in file order is the one reported.
void RevisionMapBuilder::add_depends_on() {
    for (Index f = 0; f < count_; ++f) {
        for (const std::string_view parent : items(f, DeclaredList::DownRevisions)) {
            const auto parent_file = file_of_id(parent);
            if (!parent_file) {
                throw Error(fmt::format("Revision {} referenced from {} is not present ({})", parent, id(f),
                                        path(f)));
            }
            down_.push_unique(*parent_file);
        }
        down_.end_row();
        for (const std::string_view dep : items(f, DeclaredList::DependsOn)) {
            std::optional<Index> target;
            if (const auto owner = file_of_id(dep)) target = *owner;
            if (const auto label = label_of_.find(dep); label != label_of_.end()) target = label->second;
            if (!target) {
                throw Error(fmt::format(
                    "Revision {} depends on '{}', which is neither a revision nor a branch label ({})", id(f),
                    dep, path(f)));
            }
            if (*target == f) {
                throw Error(
                    fmt::format("Dependency self-loop is detected in revisions ({}) ({})", id(f), path(f)));
            }
            deps_.push_unique(*target);
        }
        deps_.end_row();
        for (const Index parent : down_[f]) down_all_.push(parent);
        for (const Index dep : deps_[f]) down_all_.push_unique(dep);
        down_all_.end_row();
    }
    label_of_ = {};
    next_ = transpose(down_, count_);
    next_all_ = transpose(down_all_, count_);
}

// Heads and bases of both edge sets, then Alembic _detect_cycles on each.
void RevisionMapBuilder::detect_cycles() {
    for (Index f = 0; f < count_; ++f) {
        if (next_[f].empty()) heads_.push_back(f);
        if (next_all_[f].empty()) real_heads_.push_back(f);
        if (down_[f].empty()) bases_.push_back(f);
        if (down_[f].empty() && files_.count(f, DeclaredList::DependsOn) == 0) real_bases_.push_back(f);
    }
    const auto id_of = [&](Index f) { return id(f); };
    detect_cycles_in(count_, id_of, down_, next_, heads_, bases_, "Cycle");
    detect_cycles_in(count_, id_of, down_all_, next_all_, real_heads_, real_bases_, "Dependency cycle");
    down_all_ = {};
}

// Alembic _normalize_depends_on drops a dependency d of r when some versioned ancestor of r also
// depends on d, by walking every revision's ancestors (quadratic). Equivalently: d is dropped from r
// iff r is a proper versioned descendant of another revision naming d. So only targets named by two
// or more revisions need work, and for each of them one DFS over versioned children, started from the
// children of the revisions naming it, marks exactly the revisions whose dependency is implied.
// Targets named once (the common case) cost nothing; the total is O(N + E) per shared target.
void RevisionMapBuilder::normalize_depends_on() {
    std::vector<std::pair<Index, Index>> implied;  // (revision, dependency it need not name)
    {
        const Rows named_by = transpose(deps_, count_);
        std::vector<std::uint32_t> seen(count_, 0);
        std::uint32_t stamp = 0;
        std::vector<Index> stack;
        for (Index dep = 0; dep < count_; ++dep) {
            if (named_by[dep].size() < 2) continue;
            ++stamp;
            stack.clear();
            for (const Index naming : named_by[dep])
                stack.insert(stack.end(), next_[naming].begin(), next_[naming].end());
            while (!stack.empty()) {
                const Index at = stack.back();
                stack.pop_back();
                if (seen[at] == stamp) continue;
                seen[at] = stamp;
                for (const Index child : next_[at])
                    if (seen[child] != stamp) stack.push_back(child);
            }
            for (const Index naming : named_by[dep])
                if (seen[naming] == stamp) implied.emplace_back(naming, dep);
        }
        std::sort(implied.begin(), implied.end());
    }
    for (Index f = 0; f < count_; ++f) {
        for (const Index dep : deps_[f]) {
            if (!std::binary_search(implied.begin(), implied.end(), std::pair<Index, Index>(f, dep)))
                normalized_.push(dep);
        }
        normalized_.end_row();
        for (const Index parent : down_[f]) down_norm_.push(parent);
        for (const Index dep : normalized_[f]) down_norm_.push_unique(dep);
        down_norm_.end_row();
    }
}

// Display labels (Alembic _add_branches): every descendant, then down the line to the nearest
// branch point or merge point. Costs O(N) per declared label.
void RevisionMapBuilder::add_branches() {
    if (!any_labels_) return;
    labels_.resize(count_);
    for (Index f = 0; f < count_; ++f) {
        const auto declared = items(f, DeclaredList::BranchLabels);
        if (declared.empty()) continue;
        const Index from[] = {f};
        const auto below = graph::mark_reachable(count_, from, [&](Index i) { return next_[i]; });
        for (Index i = 0; i < count_; ++i) {
            if (below[i])
                for (const std::string_view label : declared) graph::push_unique(labels_[i], label);
        }
        for (Index at = f; next_all_[at].size() <= 1 && down_[at].size() <= 1;) {
            for (const std::string_view label : declared) graph::push_unique(labels_[at], label);
            if (down_[at].empty()) break;
            at = down_[at].front();
        }
    }
}

// Re-indexes the map in topological order: the full history walk (newest first), reversed.
void RevisionMapBuilder::order_topologically() {
    std::vector<char> everything(count_, 1);
    order_ = graph::alembic_topological_walk(
        count_, [&](Index i) { return down_norm_[i]; }, [&](Index i) { return next_all_[i]; },
        std::move(everything), real_heads_);
    std::reverse(order_.begin(), order_.end());
    position_.resize(count_);
    for (Index i = 0; i < count_; ++i) position_[order_[i]] = i;

    auto remap = [&](const Rows& rows) {
        RevisionMap::Adjacency adjacency;
        adjacency.offsets.reserve(count_ + 1U);
        adjacency.items.reserve(rows.items.size());
        for (Index i = 0; i < count_; ++i) {
            for (const Index item : rows[order_[i]]) adjacency.items.push_back(position_[item]);
            adjacency.offsets.push_back(static_cast<std::uint32_t>(adjacency.items.size()));
        }
        return adjacency;
    };
    map_.down_versioned_ = remap(down_);
    map_.down_normalized_ = remap(down_norm_);
    down_norm_ = {};
    map_.next_versioned_ = remap(next_);
    map_.next_all_ = remap(next_all_);
    next_all_ = {};
    auto remap_list = [&](const std::vector<Index>& list) {
        std::vector<Index> out;
        out.reserve(list.size());
        for (const Index f : list) out.push_back(position_[f]);
        return out;
    };
    map_.heads_ = remap_list(heads_);
    map_.real_heads_ = remap_list(real_heads_);
    map_.bases_ = remap_list(bases_);
    std::vector<Index> ranks(count_);
    for (Index f = 0; f < count_; ++f) ranks[f] = f;
    map_.by_file_rank_ = remap_list(ranks);
    ranks = {};
    map_.file_rank_.resize(count_);
    for (Index f = 0; f < count_; ++f) map_.file_rank_[position_[f]] = f;
    for (auto& [label, owner] : map_.label_order_) owner = position_[owner];
    for (Index& slot : id_slots_)
        if (slot != empty_slot) slot = position_[slot];
    map_.id_slots_ = std::move(id_slots_);
}

// Every list goes into one pool of views, sized exactly so that no view moves; each revision views
// ranges of it in the order of Revision::ListField, and its texts in the catalog's buffer.
void RevisionMapBuilder::pack_revisions() {
    using ListField = Revision::ListField;
    using TextField = Revision::TextField;
    static_assert(static_cast<int>(TextField::Id) == static_cast<int>(Field::Revision) &&
                  static_cast<int>(TextField::Message) == static_cast<int>(Field::Message) &&
                  static_cast<int>(TextField::CreateDate) == static_cast<int>(Field::CreateDate) &&
                  static_cast<int>(TextField::FileName) == static_cast<int>(Field::FileName));
    std::vector<std::string_view>& pool = map_.list_pool_;
    std::size_t pool_size =
        down_.items.size() + deps_.items.size() + normalized_.items.size() + next_.items.size();
    for (Index f = 0; f < count_; ++f) {
        pool_size += files_.count(f, DeclaredList::DependsOn) + files_.count(f, DeclaredList::BranchLabels) +
                     (any_labels_ ? labels_[f].size() : 0);
    }
    pool.reserve(pool_size);
    map_.revisions_.resize(count_);
    for (Index i = 0; i < count_; ++i) {
        const Index f = order_[i];
        Revision& revision = map_.revisions_[i];
        // The catalog stores a script's four texts back to back in Field order, which TextField follows.
        revision.text_ = id(f).data();
        revision.directory_ = &files_.directory(f);
        revision.set_size(TextField::Id, id(f).size());
        revision.set_size(TextField::Message, files_.text(f, Field::Message).size());
        revision.set_size(TextField::CreateDate, files_.text(f, Field::CreateDate).size());
        revision.set_size(TextField::FileName, files_.text(f, Field::FileName).size());
        const std::size_t start = pool.size();
        const auto add_ids = [&](ListField field, std::span<const Index> list) {
            for (const Index other : list) pool.push_back(id(other));
            revision.set_count(field, list.size());
        };
        const auto add_items = [&](ListField field, DeclaredList list) {
            for (std::size_t k = 0; k < files_.count(f, list); ++k) pool.push_back(files_.item(f, list, k));
            revision.set_count(field, files_.count(f, list));
        };
        // In ListField order: the lists lie back to back.
        add_ids(ListField::DownRevisions, down_[f]);
        add_items(ListField::DependsOn, DeclaredList::DependsOn);
        add_ids(ListField::Dependencies, deps_[f]);
        add_ids(ListField::NormalizedDependencies, normalized_[f]);
        add_ids(ListField::NextRevisions, next_[f]);
        add_items(ListField::BranchLabels, DeclaredList::BranchLabels);
        if (any_labels_) pool.insert(pool.end(), labels_[f].begin(), labels_[f].end());
        revision.set_count(ListField::InheritedBranchLabels, any_labels_ ? labels_[f].size() : 0);
        revision.lists_ = pool.data() + start;
        revision.flags_ = static_cast<std::uint8_t>(
            (down_[f].empty() ? Revision::base_flag : 0U) | (next_[f].empty() ? Revision::head_flag : 0U) |
            (map_.next_all_.of(i).empty() ? Revision::real_head_flag : 0U) |
            (next_[f].size() > 1 ? Revision::branch_point_flag : 0U));
    }
    for (const auto& [label, owner] : map_.label_order_) map_.by_label_.emplace(label, owner);
    // Moving the buffers keeps their addresses, so every view and pointer taken above stays valid.
    auto storage = std::move(files_).release();
    map_.text_ = std::move(storage.text);
    map_.directories_ = std::move(storage.directories);
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

}  // namespace migrator::script
