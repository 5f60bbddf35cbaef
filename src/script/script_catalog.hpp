#pragma once
// The headers of many scripts kept compactly: one text buffer and a small fixed record per script,
// instead of a Script (about 300 bytes and several allocations) per file. RevisionMap::build reads it.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "script/script.hpp"

namespace migrator::script {

/// The header fields a ScriptCatalog keeps, as views: from a Script, or from the header cache.
struct ScriptHeader {
    std::string_view revision;
    std::string_view message;
    std::string_view create_date;
    std::array<std::span<const std::string_view>, 3> lists;  // indexed by ScriptCatalog::List
};

/// The header fields of scripts, in the order they were added; their SQL is never kept.
class ScriptCatalog {
public:
    /// Which text field of a header; a path is stored as its directory (shared) and its file name.
    enum class Field : std::uint8_t { Revision, Message, CreateDate, FileName };
    /// Which declared list of a header.
    enum class List : std::uint8_t { DownRevisions, BranchLabels, DependsOn };

    /// Keeps `script`'s revision, message, create_date, path and declared lists.
    void add(const Script& script);
    /// Keeps a header read from elsewhere, with the path of its file.
    void add(std::string_view path, const ScriptHeader& header);
    /// Number of scripts added.
    [[nodiscard]] std::size_t size() const { return entries_.size(); }
    /// One text field of script `index` (valid until the next add).
    [[nodiscard]] std::string_view text(std::size_t index, Field field) const;
    /// The directory part of script `index`'s path, up to and including its last '/'.
    [[nodiscard]] const std::string& directory(std::size_t index) const {
        return directories_[entries_[index].directory];
    }
    /// The whole path of script `index`.
    [[nodiscard]] std::string path(std::size_t index) const;
    /// Whether script `a`'s path sorts before script `b`'s.
    [[nodiscard]] bool path_less(std::size_t a, std::size_t b) const;
    /// Number of items in one declared list of script `index`.
    [[nodiscard]] std::size_t count(std::size_t index, List list) const;
    /// Item `item` of one declared list of script `index` (valid until the next add).
    [[nodiscard]] std::string_view item(std::size_t index, List list, std::size_t item) const;
    /// Frees spare capacity (before views are taken: it moves the text).
    void shrink_to_fit();
    /// Reorders the scripts: position i gets the script that was at `order[i]`.
    void permute(const std::vector<std::uint32_t>& order);
    /// What a catalog gives up to outlive it: views and references taken from it stay valid.
    struct Storage {
        std::vector<char> text;                // what text() and item() view
        std::vector<std::string> directories;  // what directory() refers to
    };
    /// Gives up the text buffer and the directories (moving a vector keeps its elements in place).
    [[nodiscard]] Storage release() && { return {std::move(text_), std::move(directories_)}; }

private:
    struct Entry {
        std::uint32_t text_at = 0;              // the four fields back to back
        std::uint32_t directory = 0;            // in directories_
        std::array<std::uint32_t, 4> sizes{};   // indexed by Field
        std::uint32_t items_at = 0;             // the three lists back to back in items_
        std::array<std::uint32_t, 3> counts{};  // indexed by List
    };
    struct Span {
        std::uint32_t at = 0;
        std::uint32_t size = 0;
    };

    std::uint32_t append(std::string_view text);
    template <class Lists>
    void add_entry(std::string_view path, const std::array<std::string_view, 3>& fields, const Lists& lists);

    std::vector<char> text_;
    std::vector<std::string> directories_;
    std::unordered_map<std::string, std::uint32_t> directory_index_;
    std::vector<Entry> entries_;
    std::vector<Span> items_;  // declared list items, as spans of text_
};

}  // namespace migrator::script
