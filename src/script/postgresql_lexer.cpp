// The only translation unit that includes pg_query.h: PostgreSQL's own scanner decides where a
// statement ends and what is unterminated.
#include <pg_query.h>

#include <cstdint>
#include <optional>
#include <string>

#include "statement_lexers.hpp"

namespace migrator::script::lexer {

namespace {

// Token numbers of libpg_query's pg_query.proto (enum Token), which are stable across its releases.
// pg_query_split_with_scanner is not used: it drops a last statement that starts with no keyword.
enum PgToken : std::int64_t {
    OpenParen = 40,
    CloseParen = 41,
    Semicolon = 59,
    SqlComment = 275,
    CComment = 276,
    Atomic = 300,
    BeginP = 307,
    CaseP = 321,
    EndP = 401,
};

struct ScanToken {
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::int64_t token = 0;
};

// A minimal reader of the protobuf wire format for ScanResult { repeated ScanToken tokens = 2; },
// ScanToken { int32 start = 1; int32 end = 2; Token token = 4; }: enough for the fields we read, and it
// spares a dependency on protobuf-c's headers, which libpg-query-dev does not pull in.
class WireReader {
public:
    WireReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    [[nodiscard]] bool done() const { return pos_ >= size_; }

    std::optional<std::uint64_t> varint() {
        std::uint64_t value = 0;
        for (unsigned shift = 0; shift < 64 && pos_ < size_; shift += 7) {
            const std::uint8_t byte = data_[pos_++];
            value |= static_cast<std::uint64_t>(byte & 0x7FU) << shift;
            if ((byte & 0x80U) == 0) return value;
        }
        return std::nullopt;
    }

    // Skips a field of the given wire type; false on malformed input.
    bool skip(std::uint64_t wire_type) {
        switch (wire_type) {
            case 0:
                return varint().has_value();
            case 1:
                return advance(8);
            case 2: {
                const auto length = varint();
                return length && advance(*length);
            }
            case 5:
                return advance(4);
            default:
                return false;
        }
    }

    std::optional<WireReader> message() {
        const auto length = varint();
        if (!length || *length > size_ - pos_) return std::nullopt;
        WireReader inner(data_ + pos_, static_cast<std::size_t>(*length));
        pos_ += static_cast<std::size_t>(*length);
        return inner;
    }

private:
    bool advance(std::uint64_t count) {
        if (count > size_ - pos_) return false;
        pos_ += static_cast<std::size_t>(count);
        return true;
    }

    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

std::optional<ScanToken> read_token(WireReader reader) {
    ScanToken token;
    while (!reader.done()) {
        const auto key = reader.varint();
        if (!key) return std::nullopt;
        const std::uint64_t field = *key >> 3U;
        const std::uint64_t wire_type = *key & 7U;
        if (wire_type == 0 && (field == 1 || field == 2 || field == 4)) {
            const auto value = reader.varint();
            if (!value) return std::nullopt;
            const auto number = static_cast<std::int64_t>(*value);
            if (field == 1) token.start = number;
            if (field == 2) token.end = number;
            if (field == 4) token.token = number;
        } else if (!reader.skip(wire_type)) {
            return std::nullopt;
        }
    }
    return token;
}

std::optional<std::vector<ScanToken>> read_tokens(const PgQueryProtobuf& buffer) {
    std::vector<ScanToken> tokens;
    WireReader reader(reinterpret_cast<const std::uint8_t*>(buffer.data), buffer.len);
    while (!reader.done()) {
        const auto key = reader.varint();
        if (!key) return std::nullopt;
        if ((*key >> 3U) == 2 && (*key & 7U) == 2) {
            auto inner = reader.message();
            if (!inner) return std::nullopt;
            auto token = read_token(*inner);
            if (!token) return std::nullopt;
            tokens.push_back(*token);
        } else if (!reader.skip(*key & 7U)) {
            return std::nullopt;
        }
    }
    return tokens;
}

// PostgreSQL reports a 1-based position in characters; the splitter wants a byte offset.
std::size_t byte_offset_of_character(std::string_view sql, int cursor) {
    std::size_t characters = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        if ((static_cast<unsigned char>(sql[i]) & 0xC0U) == 0x80U) continue;
        if (++characters == static_cast<std::size_t>(cursor)) return i;
    }
    return sql.size();
}

// "unterminated /* comment at or near "/* abc"": the excerpt repeats the script; the line is enough.
std::string scanner_message(const char* message) {
    std::string text = message != nullptr ? message : "syntax error";
    for (const std::string_view cut : {" at or near ", " at end of input"}) {
        if (const auto at = text.find(cut); at != std::string::npos) text.erase(at);
    }
    return text;
}

// The result owns libpg_query's buffers until the end of the scope.
class ScanResult {
public:
    explicit ScanResult(const std::string& sql) : result_(pg_query_scan(sql.c_str())) {}
    ~ScanResult() { pg_query_free_scan_result(result_); }
    ScanResult(const ScanResult&) = delete;
    ScanResult& operator=(const ScanResult&) = delete;
    ScanResult(ScanResult&&) = delete;
    ScanResult& operator=(ScanResult&&) = delete;

    const PgQueryScanResult& get() const { return result_; }

private:
    PgQueryScanResult result_;
};

}  // namespace

Lexed lex_postgresql(std::string_view sql) {
    Lexed out;
    const std::string text(sql);  // pg_query_scan reads up to a NUL; the caller rejected NULs inside
    const ScanResult scan(text);
    if (scan.get().error != nullptr) {
        const PgQueryError& error = *scan.get().error;
        out.error = LexError{byte_offset_of_character(sql, error.cursorpos), scanner_message(error.message)};
        return out;
    }
    const auto tokens = read_tokens(scan.get().pbuf);
    if (!tokens) {
        out.error = LexError{0, "libpg_query returned an unreadable token list"};
        return out;
    }
    // psql's rules: a semicolon ends a statement outside parentheses and outside the BEGIN ATOMIC ... END
    // body of a SQL-standard function.
    std::size_t parentheses = 0;
    std::size_t atomic_depth = 0;
    std::int64_t previous = 0;
    std::size_t start = std::string_view::npos;
    std::size_t last_end = 0;
    for (const auto& token : *tokens) {
        if (token.token == SqlComment || token.token == CComment) continue;
        if (token.token == Semicolon && parentheses == 0 && atomic_depth == 0) {
            if (start != std::string_view::npos) out.spans.push_back(Span{start, last_end});
            start = std::string_view::npos;
            previous = token.token;
            continue;
        }
        if (token.token == OpenParen) ++parentheses;
        if (token.token == CloseParen && parentheses > 0) --parentheses;
        if (token.token == Atomic && previous == BeginP) ++atomic_depth;
        if (atomic_depth > 0 && token.token == CaseP) ++atomic_depth;
        if (atomic_depth > 0 && token.token == EndP) --atomic_depth;
        if (start == std::string_view::npos) start = static_cast<std::size_t>(token.start);
        last_end = static_cast<std::size_t>(token.end);
        previous = token.token;
    }
    if (start != std::string_view::npos) out.spans.push_back(Span{start, last_end});
    return out;
}

}  // namespace migrator::script::lexer
