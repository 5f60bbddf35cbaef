#include "migrator/script/checksum.hpp"

#include <openssl/evp.h>

#include <array>

#include "migrator/util/error.hpp"

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

std::string section_checksum(std::string_view sql) {
    const std::string text = normalise_section(sql);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
        throw Error("SHA-256 is not available from libcrypto");
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(checksum_algorithm);
    out += ':';
    for (unsigned int i = 0; i < size; ++i) {
        out += hex[digest[i] >> 4U];
        out += hex[digest[i] & 0xFU];
    }
    return out;
}

}  // namespace migrator::script
