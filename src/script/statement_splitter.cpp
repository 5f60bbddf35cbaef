#include "script/statement_splitter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "statement_lexers.hpp"
#include "util/ascii.hpp"

namespace migrator::script {

namespace lexer {

namespace {

using util::is_alnum;

bool keyword_is(std::string_view word, std::string_view upper_keyword) {
    return util::iequals(word, upper_keyword);
}

bool keyword_in(std::string_view word, std::initializer_list<std::string_view> keywords) {
    for (std::string_view keyword : keywords) {
        if (keyword_is(word, keyword)) return true;
    }
    return false;
}

// ---- SQLite: the tokens and transitions of sqlite3_complete() (complete.c), so that a statement ends
// exactly where the sqlite3 shell would end it.

enum SqliteToken : std::uint8_t { Semi, Space, Other, Explain, Create, Temp, Trigger, End, TokenCount };

enum SqliteState : std::uint8_t {
    Invalid,
    Start,
    Normal,
    InExplain,
    InCreate,
    InTrigger,
    TriggerSemi,
    TriggerEnd
};

constexpr std::array<std::array<std::uint8_t, TokenCount>, 8> sqlite_transitions{{
    // Semi       Space        Other      Explain    Create     Temp       Trigger    End
    {{Start, Invalid, Normal, InExplain, InCreate, Normal, Normal, Normal}},    // Invalid
    {{Start, Start, Normal, InExplain, InCreate, Normal, Normal, Normal}},      // Start
    {{Start, Normal, Normal, Normal, Normal, Normal, Normal, Normal}},          // Normal
    {{Start, InExplain, InExplain, Normal, InCreate, Normal, Normal, Normal}},  // InExplain
    {{Start, InCreate, Normal, Normal, Normal, InCreate, InTrigger, Normal}},   // InCreate
    {{TriggerSemi, InTrigger, InTrigger, InTrigger, InTrigger, InTrigger, InTrigger,
      InTrigger}},  // InTrigger
    {{TriggerSemi, TriggerSemi, InTrigger, InTrigger, InTrigger, InTrigger, InTrigger,
      TriggerEnd}},                                                                           // TriggerSemi
    {{Start, TriggerEnd, InTrigger, InTrigger, InTrigger, InTrigger, InTrigger, InTrigger}},  // TriggerEnd
}};

// SQLite's IdChar(): letters, digits, '_', '$' and every byte of a UTF-8 sequence.
bool sqlite_id_char(char c) {
    return is_alnum(c) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

SqliteToken sqlite_word(std::string_view word) {
    if (keyword_is(word, "CREATE")) return Create;
    if (keyword_is(word, "TRIGGER")) return Trigger;
    if (keyword_is(word, "TEMP") || keyword_is(word, "TEMPORARY")) return Temp;
    if (keyword_is(word, "END")) return End;
    if (keyword_is(word, "EXPLAIN")) return Explain;
    return Other;
}

}  // namespace

Lexed lex_sqlite(std::string_view sql) {
    Lexed out;
    std::uint8_t state = Invalid;
    std::size_t start = std::string_view::npos;
    std::size_t last_end = 0;
    std::size_t i = 0;
    const auto unterminated = [&](std::size_t at, std::string message) {
        out.error = LexError{at, std::move(message)};
        return std::move(out);
    };
    while (i < sql.size()) {
        const std::size_t token_start = i;
        const char c = sql[i];
        const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
        SqliteToken token = Other;
        if (c == ';') {
            token = Semi;
            ++i;
        } else if (c == ' ' || c == '\r' || c == '\t' || c == '\n' || c == '\f') {
            token = Space;
            ++i;
        } else if (c == '/' && next == '*') {
            const std::size_t close = sql.find("*/", i + 2);
            if (close == std::string_view::npos) return unterminated(i, "unterminated /* comment");
            token = Space;
            i = close + 2;
        } else if (c == '-' && next == '-') {
            const std::size_t newline = sql.find('\n', i + 2);
            token = Space;
            i = newline == std::string_view::npos ? sql.size() : newline;
        } else if (c == '[' || c == '`' || c == '"' || c == '\'') {
            const std::size_t close = sql.find(c == '[' ? ']' : c, i + 1);
            if (close == std::string_view::npos) {
                return unterminated(
                    i, c == '\'' ? "unterminated quoted string" : "unterminated quoted identifier");
            }
            i = close + 1;
        } else if (sqlite_id_char(c)) {
            while (i < sql.size() && sqlite_id_char(sql[i])) ++i;
            token = sqlite_word(sql.substr(token_start, i - token_start));
        } else {
            ++i;
        }
        const std::uint8_t next_state = sqlite_transitions.at(state).at(token);
        if (token == Semi && next_state == Start) {
            if (start != std::string_view::npos) out.spans.push_back(Span{start, last_end});
            start = std::string_view::npos;
        } else if (token != Space) {
            if (start == std::string_view::npos) start = token_start;
            last_end = i;
        }
        state = next_state;
    }
    // The last statement may lack its semicolon; an unfinished trigger goes to SQLite, which names it.
    if (start != std::string_view::npos) out.spans.push_back(Span{start, last_end});
    return out;
}

namespace {

// ---- MySQL / MariaDB: the mysql client's rules.

constexpr std::string_view default_delimiter = ";";

// How many words into a CREATE statement we look for PROCEDURE, TRIGGER, ...
constexpr int routine_keyword_search_words = 8;

bool mysql_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool mysql_word_char(char c) {
    return is_alnum(c) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

// Under the `;` delimiter, the BEGIN ... END body of a CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT holds
// semicolons of its own; counting blocks keeps it whole, as Alembic users expect without DELIMITER.
class RoutineTracker {
public:
    void reset() { *this = RoutineTracker(); }

    [[nodiscard]] bool inside_block() const { return block_depth_ > 0; }

    void word(std::string_view word) {
        if (end_pending_) {
            end_pending_ = false;
            // END IF / END LOOP / ... close blocks that were never counted.
            if (keyword_in(word, {"IF", "LOOP", "WHILE", "REPEAT"})) return;
            if (block_depth_ > 0) --block_depth_;
            if (keyword_is(word, "CASE")) return;  // END CASE closes the CASE counted earlier
        }
        if (word_count_ <= routine_keyword_search_words) ++word_count_;  // saturates: only the start matters
        if (word_count_ == 1) {
            create_ = keyword_is(word, "CREATE");
            return;
        }
        if (create_ && !routine_ && word_count_ <= routine_keyword_search_words) {
            if (keyword_in(word, {"TRIGGER", "FUNCTION", "PROCEDURE", "EVENT"})) {
                routine_ = true;
            } else if (keyword_in(word, {"TABLE", "VIEW", "INDEX"})) {
                create_ = false;
            }
            return;
        }
        if (!routine_) return;
        if (keyword_in(word, {"BEGIN", "CASE"})) {
            ++block_depth_;
        } else if (keyword_is(word, "END")) {
            end_pending_ = true;
        }
    }

    // Anything but a word after END: the END closed a block.
    void other() {
        if (!end_pending_) return;
        end_pending_ = false;
        if (block_depth_ > 0) --block_depth_;
    }

private:
    int word_count_ = 0;
    bool create_ = false;
    bool routine_ = false;
    int block_depth_ = 0;
    bool end_pending_ = false;
};

class MysqlLexer {
public:
    explicit MysqlLexer(std::string_view sql) : sql_(sql) {}

    Lexed run() {
        while (pos_ < sql_.size() && !out_.error) step();
        if (!out_.error) finish_statement();
        return std::move(out_);
    }

private:
    char at(std::size_t index) const { return index < sql_.size() ? sql_[index] : '\0'; }

    void step() {
        const char c = sql_[pos_];
        const char next = at(pos_ + 1);
        if (statement_start_ == std::string_view::npos && at_line_start() && delimiter_command()) return;
        if (sql_.substr(pos_, delimiter_.size()) == delimiter_) {
            if (delimiter_ == default_delimiter) {
                routine_.other();
                if (routine_.inside_block()) return significant(pos_ + 1);
            }
            pos_ += delimiter_.size();
            return finish_statement();
        }
        if (mysql_space(c)) {
            ++pos_;
            return;
        }
        // `--` starts a comment only before a space or a control character; `1--1` is arithmetic.
        if (c == '#' || (c == '-' && next == '-' && static_cast<unsigned char>(at(pos_ + 2)) <= ' ')) {
            const std::size_t newline = sql_.find('\n', pos_);
            pos_ = newline == std::string_view::npos ? sql_.size() : newline;
            return;
        }
        if (c == '/' && next == '*') return block_comment();
        if (mysql_word_char(c)) {
            // Like the mysql client, a delimiter such as $$ ends the statement even right after a word.
            std::size_t end = pos_;
            while (end < sql_.size() && mysql_word_char(sql_[end]) &&
                   sql_.substr(end, delimiter_.size()) != delimiter_) {
                ++end;
            }
            const std::string_view word = sql_.substr(pos_, end - pos_);
            mark_start();
            if (delimiter_ == default_delimiter) routine_.word(word);
            return significant(end);
        }
        routine_.other();
        if (c == '\'' || c == '"') return quoted(c, "unterminated quoted string");
        if (c == '`') return quoted(c, "unterminated quoted identifier");
        significant(pos_ + 1);
    }

    // The mysql client reads DELIMITER only where a statement could start, at the start of a line.
    bool at_line_start() const {
        std::size_t i = pos_;
        while (i > 0 && (sql_[i - 1] == ' ' || sql_[i - 1] == '\t')) --i;
        return i == 0 || sql_[i - 1] == '\n';
    }

    bool delimiter_command() {
        constexpr std::string_view command = "DELIMITER";
        if (!keyword_is(sql_.substr(pos_, command.size()), command)) return false;
        const std::size_t after = pos_ + command.size();
        if (after < sql_.size() && !mysql_space(sql_[after])) return false;
        const std::size_t newline = std::min(sql_.find('\n', after), sql_.size());
        std::string_view rest = sql_.substr(after, newline - after);
        const auto trim = [](std::string_view text) {
            while (!text.empty() && mysql_space(text.front())) text.remove_prefix(1);
            while (!text.empty() && mysql_space(text.back())) text.remove_suffix(1);
            return text;
        };
        rest = trim(rest);
        std::size_t word_end = 0;
        while (word_end < rest.size() && !mysql_space(rest[word_end])) ++word_end;
        const std::string_view delimiter = rest.substr(0, word_end);
        if (delimiter.empty()) return error(pos_, "DELIMITER needs a delimiter, such as DELIMITER //");
        if (!trim(rest.substr(word_end)).empty()) {
            return error(pos_, "DELIMITER takes one delimiter and nothing else on its line");
        }
        if (delimiter.find('\\') != std::string_view::npos) {
            return error(pos_, "DELIMITER cannot contain a backslash");
        }
        delimiter_ = delimiter;
        routine_.reset();
        pos_ = newline;
        return true;
    }

    // `/*! ... */` (versioned SQL) and `/*+ ... */` (optimizer hints) are SQL the server runs.
    void block_comment() {
        const std::size_t close = sql_.find("*/", pos_ + 2);
        const char kind = at(pos_ + 2);
        const bool is_sql = kind == '!' || kind == '+';
        if (close == std::string_view::npos) {
            error(pos_, is_sql ? fmt::format("unterminated /*{} comment", kind) : "unterminated /* comment");
            return;
        }
        if (!is_sql) {
            pos_ = close + 2;
            return;
        }
        routine_.other();
        mark_start();
        significant(close + 2);
    }

    // Backslash escapes and doubled quotes, as in MySQL's default SQL mode; not in backticks.
    void quoted(char quote, std::string_view unterminated) {
        const std::size_t opener = pos_;
        mark_start();
        std::size_t i = pos_ + 1;
        while (i < sql_.size()) {
            const char c = sql_[i];
            if ((c == '\\' && quote != '`') || (c == quote && at(i + 1) == quote)) {
                i += 2;
            } else if (c == quote) {
                return significant(i + 1);
            } else {
                ++i;
            }
        }
        error(opener, std::string(unterminated));
    }

    void mark_start() {
        if (statement_start_ == std::string_view::npos) statement_start_ = pos_;
    }

    void significant(std::size_t end) {
        mark_start();
        pos_ = end;
        last_end_ = end;
    }

    void finish_statement() {
        if (statement_start_ != std::string_view::npos)
            out_.spans.push_back(Span{statement_start_, last_end_});
        statement_start_ = std::string_view::npos;
        routine_.reset();
    }

    bool error(std::size_t at, std::string message) {
        out_.error = LexError{at, std::move(message)};
        pos_ = sql_.size();
        return true;
    }

    std::string_view sql_;
    std::size_t pos_ = 0;
    std::string_view delimiter_ = default_delimiter;
    std::size_t statement_start_ = std::string_view::npos;
    std::size_t last_end_ = 0;
    RoutineTracker routine_;
    Lexed out_;
};

}  // namespace

Lexed lex_mysql(std::string_view sql) {
    return MysqlLexer(sql).run();
}

}  // namespace lexer

namespace {

// Counts lines forward through the text, so that a whole section costs one pass.
class LineCounter {
public:
    LineCounter(std::string_view sql, std::size_t first_line) : sql_(sql), line_(first_line) {}

    std::size_t line_at(std::size_t offset) {
        for (; pos_ < offset && pos_ < sql_.size(); ++pos_) {
            if (sql_[pos_] == '\n') ++line_;
        }
        return line_;
    }

private:
    std::string_view sql_;
    std::size_t pos_ = 0;
    std::size_t line_;
};

std::string where(const SqlSource& source, std::size_t line) {
    if (source.path.empty()) return fmt::format("line {}", line);
    return fmt::format("{}:{}", source.path, line);
}

}  // namespace

Expected<std::vector<Statement>> split_statements(std::string_view sql, dialect::DialectKind kind,
                                                  SqlSource source) {
    // A NUL would end the text early for SQLite and libpq alike: the rest would never run.
    if (const std::size_t nul = sql.find('\0'); nul != std::string_view::npos) {
        return fail(fmt::format("{}: NUL byte in SQL; a script must be text",
                                where(source, LineCounter(sql, source.first_line).line_at(nul))));
    }
    lexer::Lexed lexed;
    switch (kind) {
        case dialect::DialectKind::Sqlite:
            lexed = lexer::lex_sqlite(sql);
            break;
        case dialect::DialectKind::Postgresql:
            lexed = lexer::lex_postgresql(sql);
            break;
        case dialect::DialectKind::Mysql:
            lexed = lexer::lex_mysql(sql);
            break;
    }
    LineCounter lines(sql, source.first_line);
    if (lexed.error) {
        return fail(
            fmt::format("{}: {}", where(source, lines.line_at(lexed.error->offset)), lexed.error->message));
    }
    std::vector<Statement> statements;
    statements.reserve(lexed.spans.size());
    for (const auto& span : lexed.spans) {
        if (span.end <= span.begin) continue;
        statements.push_back(
            Statement{std::string(sql.substr(span.begin, span.end - span.begin)), lines.line_at(span.begin)});
    }
    return statements;
}

}  // namespace migrator::script
