#pragma once
// ASCII character classes and case folding. SQL keywords, type names, URL schemes and file extensions are
// ASCII; <cctype> follows the process locale (a Turkish locale upper-cases 'i' to a byte that is not 'I',
// a Latin-1 locale calls 0xA0 a space), so nothing here consults it.

#include <string>
#include <string_view>

namespace migrator::util {

/// Space, tab, CR, LF, FF and VT.
constexpr bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

constexpr bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr bool is_alnum(char c) {
    return is_alpha(c) || is_digit(c);
}

/// 'A'-'Z' lower-cased; every other byte, UTF-8 included, unchanged.
constexpr char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// 'a'-'z' upper-cased; every other byte, UTF-8 included, unchanged.
constexpr char to_upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

inline std::string to_lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        c = to_lower(c);
    }
    return out;
}

inline std::string to_upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        c = to_upper(c);
    }
    return out;
}

/// Equal but for the case of ASCII letters.
constexpr bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (to_lower(a[i]) != to_lower(b[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace migrator::util
