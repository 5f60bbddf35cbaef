#include "script/script_catalog.hpp"

#include <limits>

#include "util/error.hpp"

namespace migrator::script {

namespace {

std::uint32_t narrow(std::size_t value) {
    if (value > std::numeric_limits<std::uint32_t>::max()) throw Error("the scripts' headers exceed 4 GiB");
    return static_cast<std::uint32_t>(value);
}

}  // namespace

std::uint32_t ScriptCatalog::append(std::string_view text) {
    const std::uint32_t at = narrow(text_.size());
    text_.insert(text_.end(), text.begin(), text.end());
    narrow(text_.size());
    return at;
}

template <class Lists>
void ScriptCatalog::add_entry(std::string_view path, const std::array<std::string_view, 3>& header_fields,
                              const Lists& lists) {
    Entry entry;
    entry.text_at = narrow(text_.size());
    const std::size_t name_at = path.find_last_of('/') + 1;  // 0 without a '/'
    const std::string_view directory = path.substr(0, name_at);
    // Scripts come directory by directory, so the last one usually matches without a lookup.
    if (!entries_.empty() && directories_[entries_.back().directory] == directory) {
        entry.directory = entries_.back().directory;
    } else {
        const auto [known, added] =
            directory_index_.try_emplace(std::string(directory), narrow(directories_.size()));
        if (added) directories_.emplace_back(directory);
        entry.directory = known->second;
    }
    const std::string_view fields[] = {header_fields[0], header_fields[1], header_fields[2],
                                       path.substr(name_at)};
    for (std::size_t f = 0; f < entry.sizes.size(); ++f) {
        append(fields[f]);
        entry.sizes[f] = narrow(fields[f].size());
    }
    entry.items_at = narrow(items_.size());
    for (std::size_t l = 0; l < entry.counts.size(); ++l) {
        for (const auto& item : *lists[l]) {
            const std::string_view text = item;
            items_.push_back({append(text), narrow(text.size())});
        }
        entry.counts[l] = narrow(lists[l]->size());
    }
    entries_.push_back(entry);
}

void ScriptCatalog::add(const Script& script) {
    const std::array<const std::vector<std::string>*, 3> lists = {&script.down_revisions,
                                                                  &script.branch_labels, &script.depends_on};
    add_entry(script.path, {script.revision, script.message, script.create_date}, lists);
}

void ScriptCatalog::add(std::string_view path, const ScriptHeader& header) {
    const std::array<const std::span<const std::string_view>*, 3> lists = {&header.lists[0], &header.lists[1],
                                                                           &header.lists[2]};
    add_entry(path, {header.revision, header.message, header.create_date}, lists);
}

std::string_view ScriptCatalog::text(std::size_t index, Field field) const {
    const Entry& entry = entries_[index];
    std::uint32_t at = entry.text_at;
    const auto f = static_cast<std::size_t>(field);
    for (std::size_t k = 0; k < f; ++k) at += entry.sizes[k];
    return {text_.data() + at, entry.sizes[f]};
}

std::string ScriptCatalog::path(std::size_t index) const {
    return directory(index) + std::string(text(index, Field::FileName));
}

bool ScriptCatalog::path_less(std::size_t a, std::size_t b) const {
    const std::string_view a_directory = directory(a);
    const std::string_view b_directory = directory(b);
    const std::string_view a_name = text(a, Field::FileName);
    const std::string_view b_name = text(b, Field::FileName);
    if (a_directory == b_directory) return a_name < b_name;
    // Compares the two concatenations without building them.
    const auto at = [](std::string_view head, std::string_view tail, std::size_t k) {
        return static_cast<unsigned char>(k < head.size() ? head[k] : tail[k - head.size()]);
    };
    const std::size_t a_size = a_directory.size() + a_name.size();
    const std::size_t b_size = b_directory.size() + b_name.size();
    for (std::size_t i = 0; i < a_size && i < b_size; ++i) {
        const unsigned char ca = at(a_directory, a_name, i);
        const unsigned char cb = at(b_directory, b_name, i);
        if (ca != cb) return ca < cb;
    }
    return a_size < b_size;
}

std::size_t ScriptCatalog::count(std::size_t index, List list) const {
    return entries_[index].counts[static_cast<std::size_t>(list)];
}

std::string_view ScriptCatalog::item(std::size_t index, List list, std::size_t item) const {
    const Entry& entry = entries_[index];
    std::size_t at = entry.items_at + item;
    for (std::size_t k = 0; k < static_cast<std::size_t>(list); ++k) at += entry.counts[k];
    const Span span = items_[at];
    return {text_.data() + span.at, span.size};
}

void ScriptCatalog::shrink_to_fit() {
    text_.shrink_to_fit();
    entries_.shrink_to_fit();
    items_.shrink_to_fit();
}

void ScriptCatalog::permute(const std::vector<std::uint32_t>& order) {
    std::vector<Entry> reordered;
    reordered.reserve(entries_.size());
    for (const std::uint32_t from : order) reordered.push_back(entries_[from]);
    entries_ = std::move(reordered);
}

}  // namespace migrator::script
