#include "util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

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

namespace {

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC 3629), or 0.
std::size_t utf8_sequence_length(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // beyond U+10FFFF
    } else {
        return 0;
    }
    if (text.size() < length) return 0;
    if (byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    }
    return length;
}

std::uint32_t code_point(std::string_view sequence) {
    const auto byte = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(sequence[i]));
    };
    if (sequence.size() == 2) return ((byte(0) & 0x1FU) << 6U) | (byte(1) & 0x3FU);
    if (sequence.size() == 3)
        return ((byte(0) & 0x0FU) << 12U) | ((byte(1) & 0x3FU) << 6U) | (byte(2) & 0x3FU);
    return ((byte(0) & 0x07U) << 18U) | ((byte(1) & 0x3FU) << 12U) | ((byte(2) & 0x3FU) << 6U) |
           (byte(3) & 0x3FU);
}

// C1 controls (8-bit CSI and friends) and the overrides that make text display in another order.
bool is_unsafe_code_point(std::uint32_t point) {
    return (point >= 0x80 && point <= 0x9F) || (point >= 0x202A && point <= 0x202E) ||
           (point >= 0x2066 && point <= 0x2069);
}

}  // namespace

std::string printable(std::string_view text, LineBreaks line_breaks) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            if (c == '\n' && line_breaks != LineBreaks::Keep) {
                out += "\\n";
            } else if (c == '\r') {
                out += "\\r";
            } else if ((byte < 0x20 && c != '\t' && c != '\n') || byte == 0x7F) {  // a kept '\n' is copied
                out += fmt::format("\\x{:02x}", byte);
            } else {
                out += c;
            }
            ++i;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text.substr(i));
        if (length == 0) {
            out += fmt::format("\\x{:02x}", byte);
            ++i;
            continue;
        }
        const auto sequence = text.substr(i, length);
        const auto point = code_point(sequence);
        if (is_unsafe_code_point(point)) {
            out += fmt::format("\\u{{{:04x}}}", point);
        } else {
            out += sequence;
        }
        i += length;
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
