#include "migrator/util/strings.hpp"

namespace migrator::util {

namespace {
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
}  // namespace

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::vector<std::string> split_list(std::string_view text, char separator) {
    std::vector<std::string> items;
    while (true) {
        const auto pos = text.find(separator);
        const auto item = trim(text.substr(0, pos));
        if (!item.empty()) items.emplace_back(item);
        if (pos == std::string_view::npos) break;
        text.remove_prefix(pos + 1);
    }
    return items;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

}  // namespace migrator::util
