#include "script/revision_id.hpp"

#include <fmt/format.h>

#include <sys/random.h>

#include <array>
#include <cerrno>

#include "util/ascii.hpp"
#include "util/error.hpp"

namespace migrator::script {

namespace {

constexpr std::size_t generated_id_bytes = 6;  // 12 hex characters, as Alembic's uuid4().hex[-12:]

bool is_id_char(char c) {
    return util::is_alnum(c) || c == '_';
}

// Words the target grammar gives a meaning of its own.
bool is_reserved(std::string_view word) {
    for (std::string_view reserved : {"head", "heads", "base", "current"}) {
        if (util::iequals(word, reserved)) return true;
    }
    return false;
}

}  // namespace

std::string generate_revision_id() {
    // The kernel's CSPRNG: linking a crypto library for six bytes cost every command memory
    // (bench/performance-notes.md).
    std::array<unsigned char, generated_id_bytes> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) throw Error("cannot generate a revision id: the system random number generator failed");
        filled += static_cast<std::size_t>(got);
    }
    static constexpr std::string_view hex_digits = "0123456789abcdef";
    std::string id;
    id.reserve(2 * bytes.size());
    for (unsigned char byte : bytes) {
        id += hex_digits[byte >> 4U];
        id += hex_digits[byte & 0x0FU];
    }
    return id;
}

Expected<std::string> validate_revision_id(std::string_view id) {
    if (id.empty()) return fail("revision id is empty");
    if (id.size() > max_revision_id_length) {
        return fail(fmt::format("revision id '{}' is {} characters long; the version table holds at most {}",
                                id, id.size(), max_revision_id_length));
    }
    for (char c : id) {
        if (!is_id_char(c)) {
            return fail(fmt::format("revision id '{}' may only contain letters, digits and '_'", id));
        }
    }
    if (is_reserved(id)) return fail(fmt::format("revision id '{}' is a reserved word", id));
    return std::string(id);
}

Expected<std::string> validate_branch_label(std::string_view label) {
    if (label.empty()) return fail("branch label is empty");
    for (char c : label) {
        const bool forbidden = c == '@' || c == '+' || c == '-' || c == ':' || c == ',' || c == ' ' ||
                               c == '\t' || c == '\r' || c == '\n' || c == '\0';
        if (forbidden) {
            return fail(
                fmt::format("branch label '{}' may not contain white space or any of @ + - : ,", label));
        }
    }
    if (is_reserved(label)) return fail(fmt::format("branch label '{}' is a reserved word", label));
    return std::string(label);
}

}  // namespace migrator::script
