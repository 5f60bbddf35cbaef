#include "script/header_cache.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>

namespace migrator::script {

namespace {

// The first line: a format number, then the migrator version that wrote it, whose parser made the entries.
constexpr std::string_view magic = "migrator-script-headers 1 ";

// Reads the text HeaderCacheWriter writes; any surprise makes the whole cache unusable.
class Reader {
public:
    explicit Reader(std::string_view text) : text_(text) {}

    [[nodiscard]] bool at_end() const { return at_ == text_.size(); }

    template <class Number>
    bool number(Number& value) {
        const char* first = text_.data() + at_;
        const char* last = text_.data() + text_.size();
        const auto [end, error] = std::from_chars(first, last, value);
        if (error != std::errc{} || end == last || *end != ' ') return false;
        at_ += static_cast<std::size_t>(end - first) + 1;
        return true;
    }

    bool string(std::string_view& value) {
        std::size_t size = 0;
        if (!number(size) || size >= text_.size() - at_) return false;
        value = text_.substr(at_, size);
        at_ += size;
        return text_[at_++] == ' ';
    }

    bool end_of_line() {
        if (at_ >= text_.size() || text_[at_] != '\n') return false;
        ++at_;
        return true;
    }

private:
    std::string_view text_;
    std::size_t at_ = 0;
};

}  // namespace

HeaderCache HeaderCache::parse(std::string text, std::string_view writer_version) {
    HeaderCache cache;
    cache.text_ = std::make_unique<const std::string>(std::move(text));
    const std::string_view all = *cache.text_;
    const std::size_t first_line_end = all.find('\n');
    if (first_line_end == std::string_view::npos ||
        all.substr(0, first_line_end).substr(0, magic.size()) != magic ||
        all.substr(magic.size(), first_line_end - magic.size()) != writer_version) {
        return {};
    }
    Reader reader(all.substr(first_line_end + 1));
    while (!reader.at_end()) {
        Record record;
        FileStamp& stamp = record.stamp;
        bool read = reader.string(record.name) && reader.number(stamp.size) &&
                    reader.number(stamp.modified_ns) && reader.number(stamp.changed_ns) &&
                    reader.number(stamp.inode) && reader.number(stamp.device);
        for (auto& field : record.fields) read = read && reader.string(field);
        record.items_at = static_cast<std::uint32_t>(cache.items_.size());
        for (auto& count : record.counts) {
            read = read && reader.number(count);
            for (std::uint32_t i = 0; read && i < count; ++i)
                read = reader.string(cache.items_.emplace_back());
        }
        // Names in strictly increasing order, as the writer puts them, so that find() can search them.
        if (!read || !reader.end_of_line() ||
            (!cache.records_.empty() && cache.records_.back().name >= record.name)) {
            return {};
        }
        cache.records_.push_back(record);
    }
    return cache;
}

std::optional<ScriptHeader> HeaderCache::find(std::string_view name, const FileStamp& stamp) const {
    const auto found =
        std::lower_bound(records_.begin(), records_.end(), name,
                         [](const Record& record, std::string_view key) { return record.name < key; });
    if (found == records_.end() || found->name != name || !(found->stamp == stamp)) return std::nullopt;
    ScriptHeader header{found->fields[0], found->fields[1], found->fields[2], {}};
    std::size_t at = found->items_at;
    for (std::size_t list = 0; list < header.lists.size(); ++list) {
        header.lists[list] = std::span<const std::string_view>(items_.data() + at, found->counts[list]);
        at += found->counts[list];
    }
    return header;
}

HeaderCacheWriter::HeaderCacheWriter(std::string_view writer_version)
    : text_(fmt::format("{}{}\n", magic, writer_version)) {}

void HeaderCacheWriter::add(std::string_view name, const FileStamp& stamp, const ScriptHeader& header) {
    auto out = std::back_inserter(text_);
    const auto string = [&](std::string_view value) { fmt::format_to(out, "{} {} ", value.size(), value); };
    string(name);
    fmt::format_to(out, "{} {} {} {} {} ", stamp.size, stamp.modified_ns, stamp.changed_ns, stamp.inode,
                   stamp.device);
    string(header.revision);
    string(header.message);
    string(header.create_date);
    for (const auto& list : header.lists) {
        fmt::format_to(out, "{} ", list.size());
        for (const auto item : list) string(item);
    }
    text_ += '\n';
}

}  // namespace migrator::script
