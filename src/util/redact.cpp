#include "util/redact.hpp"

#include "util/ascii.hpp"

namespace migrator::util {

namespace {

constexpr std::string_view mask = "***";

bool is_key_char(char c) {
    return is_alnum(c) || c == '_';
}

// The keys libpq (password, sslpassword), SOCI's MySQL backend (pass, password) and URL queries use.
bool is_secret_key(std::string_view key) {
    const std::string folded = to_lower(key);
    return folded.find("password") != std::string::npos || folded == "passwd" || folded == "pwd" ||
           folded == "pass";
}

// Where the authority of a URL whose "://" ends at `start` stops.
std::size_t authority_end(std::string_view text, std::size_t start) {
    std::size_t end = start;
    while (end < text.size() && !is_space(text[end]) && text[end] != '/' && text[end] != '?' &&
           text[end] != '#' && text[end] != '"' && text[end] != '\'' && text[end] != '<' && text[end] != '>')
        ++end;
    return end;
}

// Where a value that starts at `start` ends. A quoted value ends at its closing quote (a backslash
// escapes the next character, as in libpq and SOCI); an unquoted one at white space, and inside a URL
// also at '&' or '#', which cannot be part of a query value.
std::size_t value_end(std::string_view text, std::size_t start, bool in_url) {
    if (start < text.size() && (text[start] == '\'' || text[start] == '"')) {
        const char quote = text[start];
        std::size_t i = start + 1;
        while (i < text.size() && text[i] != quote) i += text[i] == '\\' ? std::size_t{2} : std::size_t{1};
        return std::min(i + 1, text.size());
    }
    std::size_t i = start;
    while (i < text.size() && !is_space(text[i]) && !(in_url && (text[i] == '&' || text[i] == '#'))) ++i;
    return i;
}

}  // namespace

std::string redact(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool in_url = false;  // between a "://" and the next white space
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (is_space(c)) in_url = false;
        if (text.substr(i, 3) == "://") {
            in_url = true;
            out += "://";
            const std::size_t start = i + 3;
            const std::size_t end = authority_end(text, start);
            const auto at = text.substr(start, end - start).rfind('@');
            i = start;
            if (at == std::string_view::npos) continue;
            const auto userinfo = text.substr(start, at);
            const auto colon = userinfo.find(':');
            if (colon == std::string_view::npos || colon + 1 == userinfo.size()) continue;
            out += userinfo.substr(0, colon + 1);
            out += mask;
            i = start + at;  // the '@' and the host follow unchanged
            continue;
        }
        if (is_key_char(c) && (i == 0 || !is_key_char(text[i - 1]))) {
            std::size_t key_end = i;
            while (key_end < text.size() && is_key_char(text[key_end])) ++key_end;
            out += text.substr(i, key_end - i);
            const auto key = text.substr(i, key_end - i);
            i = key_end;
            // Spaces around '=' are not allowed here: "password = 'x'" is more likely prose or SQL.
            if (i >= text.size() || text[i] != '=' || !is_secret_key(key)) continue;
            out += '=';
            ++i;
            const std::size_t end = value_end(text, i, in_url);
            if (end == i) continue;
            if (text[i] == '\'' || text[i] == '"') {
                out += text[i];
                out += mask;
                if (end - i >= 2 && text[end - 1] == text[i]) out += text[i];
            } else {
                out += mask;
            }
            i = end;
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

}  // namespace migrator::util
