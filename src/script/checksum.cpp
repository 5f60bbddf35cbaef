#include "script/checksum.hpp"

#include <nettle/sha2.h>

#include <array>
#include <cstdint>

namespace migrator::script {

namespace {

bool is_trailing_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string normalise_section(std::string_view sql) {
    if (sql.starts_with("\xEF\xBB\xBF")) sql.remove_prefix(3);
    std::string out;
    out.reserve(sql.size());
    std::size_t start = 0;
    while (start <= sql.size()) {
        std::size_t end = sql.find_first_of("\r\n", start);
        if (end == std::string_view::npos) end = sql.size();
        std::string_view line = sql.substr(start, end - start);
        while (!line.empty() && is_trailing_space(line.back())) line.remove_suffix(1);
        // Blank lines before the first text are dropped; those after it are kept until text follows.
        if (!line.empty() || !out.empty()) {
            out.append(line);
            out += '\n';
        }
        if (end == sql.size()) break;
        start = end + ((sql[end] == '\r' && end + 1 < sql.size() && sql[end + 1] == '\n') ? 2 : 1);
    }
    while (out.ends_with("\n\n")) out.pop_back();
    return out;
}

std::string sha256_hex(std::string_view text) {
    sha256_ctx context{};
    sha256_init(&context);
    sha256_update(&context, text.size(), reinterpret_cast<const std::uint8_t*>(text.data()));
    std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
    sha256_digest(&context, digest.size(), digest.data());
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * digest.size());
    for (const std::uint8_t byte : digest) {
        out += hex[byte >> 4U];
        out += hex[byte & 0xFU];
    }
    return out;
}

std::string section_checksum(std::string_view sql) {
    return std::string(checksum_algorithm) + ':' + sha256_hex(normalise_section(sql));
}

}  // namespace migrator::script
