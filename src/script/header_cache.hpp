#pragma once
// The parsed headers of a version location's scripts, kept between runs and keyed by each file's stat
// data, so that a command reads only the files that changed (git's index does the same for its tree).
// This is the pure part: the text format and the lookups. ScriptFiles stores it and stats the files.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "script/script_catalog.hpp"

namespace migrator::script {

/// What identifies one version of a file without reading it: any write changes the change time, and an
/// editor that saves by renaming gives a new inode.
struct FileStamp {
    std::uint64_t size = 0;
    std::int64_t modified_ns = 0;
    std::int64_t changed_ns = 0;
    std::uint64_t inode = 0;
    std::uint64_t device = 0;

    friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

/// Script headers by file name, each valid for one FileStamp of its file; it views its own text.
class HeaderCache {
public:
    /// The cache `text` holds; an empty cache when it is empty, written by another build of migrator,
    /// or damaged in any way (the cache is only ever an optimisation).
    static HeaderCache parse(std::string text, std::string_view writer_version);

    /// The header kept for `name` at exactly `stamp` (valid while the cache lives), or nullopt when
    /// the file changed or was never kept.
    [[nodiscard]] std::optional<ScriptHeader> find(std::string_view name, const FileStamp& stamp) const;
    /// Number of file names kept.
    [[nodiscard]] std::size_t size() const { return records_.size(); }

private:
    struct Record {
        std::string_view name;
        FileStamp stamp;
        std::array<std::string_view, 3> fields;  // revision, message, create_date
        std::uint32_t items_at = 0;              // the three lists back to back in items_
        std::array<std::uint32_t, 3> counts{};
    };

    std::unique_ptr<const std::string> text_;  // on the heap, so that moving the cache keeps the views valid
    std::vector<std::string_view> items_;
    std::vector<Record> records_;  // ordered by name
};

/// Writes the text HeaderCache::parse reads; the names must come in increasing order.
class HeaderCacheWriter {
public:
    explicit HeaderCacheWriter(std::string_view writer_version);
    void add(std::string_view name, const FileStamp& stamp, const ScriptHeader& header);
    [[nodiscard]] std::string finish() && { return std::move(text_); }

private:
    std::string text_;
};

}  // namespace migrator::script
