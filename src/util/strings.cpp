#include "migrator/util/strings.hpp"

#include <algorithm>

namespace migrator::util {

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

// Optimal string alignment distance: a swapped pair of letters counts as one typo.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t width = b.size() + 1;
    std::vector<std::size_t> rows(3 * width);
    auto cell = [&](std::size_t i, std::size_t j) -> std::size_t& { return rows[(i % 3) * width + j]; };
    for (std::size_t i = 0; i <= a.size(); ++i) {
        for (std::size_t j = 0; j <= b.size(); ++j) {
            if (i == 0 || j == 0) {
                cell(i, j) = i + j;
                continue;
            }
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            std::size_t best = std::min({cell(i - 1, j) + 1, cell(i, j - 1) + 1, cell(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                best = std::min(best, cell(i - 2, j - 2) + 1);
            }
            cell(i, j) = best;
        }
    }
    return cell(a.size(), b.size());
}

// " (did you mean 'x'?)" for the closest candidate within a few typos, or "".
std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates) {
    const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
    std::string_view best;
    std::size_t best_distance = limit + 1;
    for (const auto candidate : candidates) {
        const auto distance = edit_distance(name, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best.empty() ? std::string{} : " (did you mean '" + std::string(best) + "'?)";
}

}  // namespace migrator::util
