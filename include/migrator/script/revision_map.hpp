#pragma once
// The revision graph with Alembic's semantics (alembic/script/revision.py RevisionMap), built once
// from the parsed scripts and queried in time linear in revisions + edges.

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "migrator/script/script.hpp"
#include "migrator/script/script_catalog.hpp"
#include "migrator/util/error.hpp"

namespace migrator::script {

/// Whether a new revision may be based on a revision that is not a head.
enum class SpliceMode { NoSplice, Splice };

/// Which edges a traversal follows: down_revision only, or down_revision plus depends_on.
enum class EdgeMode { Versioned, WithDependencies };

/// Whether a relative walk that runs past the first/last revision fails (Alembic's assert_relative_length).
enum class RelativeLength { Strict, Clamp };

/// A list of ids or labels stored by the RevisionMap (one pool of views into one text buffer for all
/// revisions, instead of strings per list); converts to a std::vector<std::string>.
class IdList {
public:
    IdList() = default;
    /// Views `items`, which must outlive the list.
    explicit IdList(std::span<const std::string_view> items) : items_(items) {}

    /// First item.
    [[nodiscard]] auto begin() const { return items_.begin(); }
    /// Past the last item.
    [[nodiscard]] auto end() const { return items_.end(); }
    /// Number of items.
    [[nodiscard]] std::size_t size() const { return items_.size(); }
    /// Whether there are none.
    [[nodiscard]] bool empty() const { return items_.empty(); }
    /// The first item; the list must not be empty.
    [[nodiscard]] std::string_view front() const { return items_.front(); }
    /// The item at `i`.
    [[nodiscard]] std::string_view operator[](std::size_t i) const { return items_[i]; }
    /// Whether `item` is in the list.
    [[nodiscard]] bool contains(std::string_view item) const {
        return std::find(items_.begin(), items_.end(), item) != items_.end();
    }
    /// A copy as a vector.
    operator std::vector<std::string>() const { return {items_.begin(), items_.end()}; }  // NOLINT

    /// Same items in the same order.
    friend bool operator==(const IdList& a, const std::vector<std::string>& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }
    /// Same items in the same order.
    friend bool operator==(const IdList& a, const IdList& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }

private:
    std::span<const std::string_view> items_;
};

/// One node of the graph: a small record viewing the map's storage, valid as long as the map.
class Revision {
public:
    /// The revision id.
    [[nodiscard]] std::string_view id() const { return text(TextField::Id); }
    /// The script's message.
    [[nodiscard]] std::string_view message() const { return text(TextField::Message); }
    /// The script's create_date, as written.
    [[nodiscard]] std::string_view create_date() const { return text(TextField::CreateDate); }
    /// Where the script was read from.
    [[nodiscard]] std::string path() const { return *directory_ + std::string(file_name()); }
    /// The last part of path().
    [[nodiscard]] std::string_view file_name() const { return text(TextField::FileName); }
    /// The parents as declared, duplicates dropped (Alembic _versioned_down_revisions); empty for a base.
    [[nodiscard]] IdList down_revisions() const { return list(ListField::DownRevisions); }
    /// depends_on as declared: revision ids or branch labels.
    [[nodiscard]] IdList depends_on() const { return list(ListField::DependsOn); }
    /// depends_on resolved to ids (branch labels to the revisions declaring them).
    [[nodiscard]] IdList dependencies() const { return list(ListField::Dependencies); }
    /// dependencies() without those an ancestor already depends on.
    [[nodiscard]] IdList normalized_dependencies() const { return list(ListField::NormalizedDependencies); }
    /// Children naming this in down_revisions (Alembic nextrev).
    [[nodiscard]] IdList next_revisions() const { return list(ListField::NextRevisions); }
    /// Branch labels declared on this script.
    [[nodiscard]] IdList branch_labels() const { return list(ListField::BranchLabels); }
    /// Declared plus propagated branch labels, as Alembic displays them.
    [[nodiscard]] IdList inherited_branch_labels() const { return list(ListField::InheritedBranchLabels); }
    /// No down_revision.
    [[nodiscard]] bool is_base() const { return (flags_ & base_flag) != 0; }
    /// No child via down_revision.
    [[nodiscard]] bool is_head() const { return (flags_ & head_flag) != 0; }
    /// A head that nothing depends on either.
    [[nodiscard]] bool is_real_head() const { return (flags_ & real_head_flag) != 0; }
    /// Several children via down_revision.
    [[nodiscard]] bool is_branch_point() const { return (flags_ & branch_point_flag) != 0; }
    /// Several down_revisions.
    [[nodiscard]] bool is_merge_point() const { return count(ListField::DownRevisions) > 1; }

private:
    friend struct RevisionMapBuilder;
    static constexpr std::uint8_t base_flag = 1U;
    static constexpr std::uint8_t head_flag = 2U;
    static constexpr std::uint8_t real_head_flag = 4U;
    static constexpr std::uint8_t branch_point_flag = 8U;

    // The texts and lists a revision views, in the order they lie back to back; TextField follows
    // ScriptCatalog::Field, whose buffer the texts are read from.
    enum class TextField : std::uint8_t { Id, Message, CreateDate, FileName };
    static constexpr std::size_t text_fields = 4;
    enum class ListField : std::uint8_t {
        DownRevisions,
        DependsOn,
        Dependencies,
        NormalizedDependencies,
        NextRevisions,
        BranchLabels,
        InheritedBranchLabels,
    };
    static constexpr std::size_t list_fields = 7;

    [[nodiscard]] std::uint32_t size(TextField field) const {
        return sizes_[static_cast<std::size_t>(field)];
    }
    [[nodiscard]] std::uint32_t count(ListField field) const {
        return counts_[static_cast<std::size_t>(field)];
    }
    void set_size(TextField field, std::size_t size) {
        sizes_[static_cast<std::size_t>(field)] = static_cast<std::uint32_t>(size);
    }
    void set_count(ListField field, std::size_t count) {
        counts_[static_cast<std::size_t>(field)] = static_cast<std::uint32_t>(count);
    }
    [[nodiscard]] std::string_view text(TextField field) const {
        std::size_t at = 0;
        for (std::size_t k = 0; k < static_cast<std::size_t>(field); ++k) at += sizes_[k];
        return {text_ + at, size(field)};
    }
    [[nodiscard]] IdList list(ListField field) const {
        std::size_t at = 0;
        for (std::size_t k = 0; k < static_cast<std::size_t>(field); ++k) at += counts_[k];
        return IdList(std::span<const std::string_view>(lists_ + at, count(field)));
    }

    const char* text_ = nullptr;                       // the TextFields back to back
    const std::string* directory_ = nullptr;           // shared by the scripts of one directory
    const std::string_view* lists_ = nullptr;          // the ListFields' items back to back
    std::array<std::uint32_t, text_fields> sizes_{};   // by TextField
    std::array<std::uint32_t, list_fields> counts_{};  // by ListField
    std::uint8_t flags_ = 0;
};

/// Alembic's MultipleHeads: an argument such as "head" named several revisions.
class MultipleHeadsError : public Error {
public:
    /// `message` is the full text; `heads` and `argument` let callers reword it per command.
    MultipleHeadsError(const std::string& message, std::vector<std::string> heads, std::string argument)
        : Error(message), heads_(std::move(heads)), argument_(std::move(argument)) {}
    /// The revisions the argument matched.
    [[nodiscard]] const std::vector<std::string>& heads() const { return heads_; }
    /// The argument as given, e.g. "head" or "mybranch@head".
    [[nodiscard]] const std::string& argument() const { return argument_; }

private:
    std::vector<std::string> heads_;
    std::string argument_;
};

/// Alembic's default wording for MultipleHeads, naming the heads: "Multiple head revisions are present for
/// given argument 'head'; please specify ... or 'heads' for all heads (heads: a, b)".
std::string multiple_heads_message(std::string_view argument, const std::vector<std::string>& heads);

/// Where a relative walk stands: before every revision (Alembic None), below the bases ("base"), or on one.
struct WalkPosition {
    /// The three places a walk can be.
    enum class Kind { Nothing, Base, Revision };
    Kind kind = Kind::Nothing;
    std::uint32_t index = 0;  // valid for Kind::Revision
};

/// The validated, indexed graph of all scripts.
class RevisionMap {
public:
    /// Position of a revision in revisions().
    using Index = std::uint32_t;

    /// Validates and indexes; throws migrator::Error naming the file(s): duplicate id, missing parent,
    /// unknown depends_on, duplicate branch label, cycle, self-loop, illegal characters in an id.
    static RevisionMap build(ScriptCatalog scripts);
    /// The same for scripts at hand (their SQL is not kept).
    static RevisionMap build(const std::vector<Script>& scripts);

    RevisionMap(RevisionMap&&) noexcept = default;
    RevisionMap& operator=(RevisionMap&&) noexcept = default;
    RevisionMap(const RevisionMap&) = delete;  // revisions view the map's own buffers
    RevisionMap& operator=(const RevisionMap&) = delete;
    ~RevisionMap() = default;

    /// All revisions in topological order, bases first (the reverse of `history`).
    [[nodiscard]] const std::vector<Revision>& revisions() const { return revisions_; }
    /// The revision with exactly this id, or null.
    [[nodiscard]] const Revision* find(std::string_view exact_id) const;
    /// One revision: full id, unique prefix (4+ characters), branch label, label@rev, "head", "heads"
    /// with a single head; throws with Alembic's message for unknown/ambiguous/multiple.
    [[nodiscard]] const Revision& resolve(std::string_view identifier) const;
    /// Alembic heads (effective heads: no child via down_revision), in file order.
    [[nodiscard]] std::vector<std::string> heads() const;
    /// Alembic _real_heads (`heads --resolve-dependencies`), in file order.
    [[nodiscard]] std::vector<std::string> real_heads() const;
    /// Revisions without down_revision, in file order.
    [[nodiscard]] std::vector<std::string> bases() const;
    /// Revisions with several children, newest first (the order `branches` lists them).
    [[nodiscard]] std::vector<std::string> branch_points() const;
    /// `history -r RANGE` (Alembic command.history / walk_revisions); "current" in the range means
    /// `current_heads`; an empty range is base:heads. Newest first.
    [[nodiscard]] std::vector<const Revision*> history(std::string_view range,
                                                       const std::vector<std::string>& current_heads) const;
    /// Down revisions for a new script (Alembic generate_revision): "head", "base", "label@head", an id.
    [[nodiscard]] std::vector<std::string> parents_for_new_revision(std::string_view head,
                                                                    SpliceMode splice) const;
    /// Resolves several identifiers ("heads" expands to all heads, "base" to nothing) to ids.
    [[nodiscard]] std::vector<std::string> resolve_all(const std::vector<std::string>& identifiers) const;

    // ---- Index-based primitives shared with the target resolver and the planner. ----

    /// Number of revisions.
    [[nodiscard]] std::size_t size() const { return revisions_.size(); }
    /// The revision at an index.
    [[nodiscard]] const Revision& at(Index index) const { return revisions_[index]; }
    /// The index of a revision owned by this map.
    [[nodiscard]] Index index_of(const Revision& revision) const;
    /// Rank of the script's path among all paths (Alembic's map order), used to break ties.
    [[nodiscard]] std::uint32_t file_rank(Index index) const { return file_rank_[index]; }
    /// Parents: declared down revisions, or those plus normalized dependencies.
    [[nodiscard]] std::span<const Index> parents(Index index, EdgeMode mode) const;
    /// Children: via down_revision only, or also revisions that depend on this one.
    [[nodiscard]] std::span<const Index> children(Index index, EdgeMode mode) const;
    /// Effective heads, real heads and bases as indices in file order.
    [[nodiscard]] const std::vector<Index>& head_indices() const { return heads_; }
    /// Real heads (nothing depends on them either), in file order.
    [[nodiscard]] const std::vector<Index>& real_head_indices() const { return real_heads_; }
    /// Bases, in file order.
    [[nodiscard]] const std::vector<Index>& base_indices() const { return bases_; }
    /// Marks (1/0 per index) of the given revisions and all their ancestors.
    [[nodiscard]] std::vector<char> ancestors(std::span<const Index> from, EdgeMode mode) const;
    /// Marks of the given revisions and all their descendants.
    [[nodiscard]] std::vector<char> descendants(std::span<const Index> from, EdgeMode mode) const;
    /// Alembic _topological_sort of the marked revisions starting from `heads`: descendants first.
    [[nodiscard]] std::vector<Index> topological_walk(std::vector<char> todo,
                                                      std::span<const Index> heads) const;
    /// Alembic _get_all_current: the branch tips of `rows` plus all their ancestors including dependencies,
    /// i.e. the rows and the revisions the database is effectively at through depends_on; in index order.
    [[nodiscard]] std::vector<Index> all_current(std::span<const Index> rows) const;
    /// Throws Alembic's "overlaps" error when one of `revisions` is an ancestor of another.
    void check_no_overlap(std::span<const Index> revisions) const;

    /// Alembic get_revisions: "heads", "label@heads", "head", "label@head", "base" (nothing), ids,
    /// prefixes, labels, "label@rev", "-N" (walk down from the heads).
    [[nodiscard]] std::vector<Index> revisions_for(std::string_view identifier) const;
    /// Alembic get_revision: nullopt for "base"; throws MultipleHeadsError when several match.
    [[nodiscard]] std::optional<Index> revision_for(std::string_view identifier) const;
    /// Alembic _resolve_branch: a branch label, or any revision identifier standing for its branch.
    [[nodiscard]] Index resolve_branch(std::string_view label) const;
    /// Alembic filter_for_lineage: the targets that are ancestors or descendants of `check_against`.
    [[nodiscard]] std::vector<Index> filter_for_lineage(std::span<const Index> targets,
                                                        std::string_view check_against, EdgeMode mode) const;
    /// Alembic _walk: `steps` up (+) or down (-); up-walks keep to `branch_label` when given.
    /// nullopt when the walk runs off the graph under RelativeLength::Strict.
    [[nodiscard]] std::optional<WalkPosition> walk(WalkPosition start, int steps,
                                                   std::string_view branch_label,
                                                   RelativeLength length) const;
    /// The ids of some indices.
    [[nodiscard]] std::vector<std::string> ids(std::span<const Index> indices) const;

private:
    RevisionMap() = default;

    /// Compressed adjacency lists: the neighbours of i are items[offsets[i] .. offsets[i+1]).
    struct Adjacency {
        std::vector<std::uint32_t> offsets{0};
        std::vector<std::uint32_t> items;
        [[nodiscard]] std::span<const std::uint32_t> of(std::uint32_t i) const {
            return {items.data() + offsets[i], items.data() + offsets[i + 1]};
        }
    };

    std::pair<std::vector<Index>, std::string> resolve_revision_number(std::string_view identifier) const;
    std::optional<Index> revision_for_ident(std::optional<std::string_view> resolved,
                                            std::string_view check_branch) const;
    std::vector<char> lineage_marks(std::string_view check_against, EdgeMode mode) const;
    std::optional<Index> current_head(std::string_view branch_label) const;
    std::optional<Index> position_of_id(std::string_view id) const;

    std::vector<char> text_;                   // every header text, viewed by revisions_ and list_pool_
    std::vector<std::string> directories_;     // of the scripts' paths, each ending in '/'
    std::vector<std::string_view> list_pool_;  // the items of every Revision's IdLists, back to back
    std::vector<Revision> revisions_;
    std::vector<std::uint32_t> file_rank_;
    std::vector<Index> by_file_rank_;
    // Open addressing by id over revisions_ (4 bytes a slot, not a hash node per revision).
    std::vector<Index> id_slots_;
    std::unordered_map<std::string_view, Index> by_label_;
    std::vector<std::pair<std::string_view, Index>> label_order_;  // labels in the order Alembic maps them
    Adjacency down_versioned_, down_normalized_, next_versioned_, next_all_;
    std::vector<Index> heads_, real_heads_, bases_;

    friend struct RevisionMapBuilder;
};

}  // namespace migrator::script
