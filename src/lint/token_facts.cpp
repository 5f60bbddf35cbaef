// SQLite and MySQL/MariaDB statements have no parser library in Debian that this project can use, so
// their facts come from tokens: a small tokenizer that follows each dialect's quoting and comment rules
// (the statement splitter has already cut the statements), and keyword patterns over those tokens.

#include <cctype>
#include <cstddef>
#include <string>
#include <vector>

#include "statement_facts.hpp"

namespace migrator::lint {

namespace {

enum class TokenKind { Word, QuotedName, String, Other };

struct Token {
    TokenKind kind = TokenKind::Other;
    std::string text;  // a word uppercased, a quoted name unquoted, a string's raw body
    std::string name;  // a word lowercased, or a quoted name as written inside the quotes
    int depth = 0;     // parenthesis depth
};

std::string upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// Reads a quoted construct starting at `at` (the opening quote); returns its body and moves `at` past it.
std::string quoted(std::string_view sql, std::size_t& at, char close, bool backslash, bool& saw_backslash) {
    std::string body;
    ++at;
    while (at < sql.size()) {
        const char c = sql[at];
        if (backslash && c == '\\' && at + 1 < sql.size()) {
            saw_backslash = true;
            body += sql.substr(at, 2);
            at += 2;
            continue;
        }
        if (c == close) {
            if (at + 1 < sql.size() && sql[at + 1] == close) {
                body += c;
                at += 2;
                continue;
            }
            ++at;
            return body;
        }
        body += c;
        ++at;
    }
    return body;
}

std::vector<Token> tokenize(std::string_view sql, dialect::DialectKind kind, bool& backslash_escape) {
    const bool mysql = kind == dialect::DialectKind::Mysql;
    std::vector<Token> tokens;
    int depth = 0;
    std::size_t at = 0;
    while (at < sql.size()) {
        const char c = sql[at];
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            ++at;
        } else if ((c == '-' && sql.substr(at, 2) == "--") || (mysql && c == '#')) {
            while (at < sql.size() && sql[at] != '\n') ++at;
        } else if (c == '/' && sql.substr(at, 2) == "/*") {
            const auto end = sql.find("*/", at + 2);
            at = end == std::string_view::npos ? sql.size() : end + 2;
        } else if (c == '\'' || (mysql && c == '"')) {
            bool saw = false;
            auto body = quoted(sql, at, c, mysql, saw);
            if (saw) backslash_escape = true;
            tokens.push_back({TokenKind::String, body, body, depth});
        } else if (c == '`' || (!mysql && c == '"')) {
            bool saw = false;
            auto body = quoted(sql, at, c, false, saw);
            tokens.push_back({TokenKind::QuotedName, body, body, depth});
        } else if (c == '[' && !mysql) {
            const auto end = sql.find(']', at);
            const auto stop = end == std::string_view::npos ? sql.size() : end;
            std::string body(sql.substr(at + 1, stop - at - 1));
            tokens.push_back({TokenKind::QuotedName, body, body, depth});
            at = stop + 1;
        } else if (is_word_char(c)) {
            const auto start = at;
            while (at < sql.size() && is_word_char(sql[at])) ++at;
            const auto word = sql.substr(start, at - start);
            tokens.push_back({TokenKind::Word, upper(word), lower(word), depth});
        } else {
            if (c == '(') ++depth;
            if (c == ')' && depth > 0) --depth;
            tokens.push_back(
                {TokenKind::Other, std::string(1, c), std::string(1, c), c == '(' ? depth - 1 : depth});
            ++at;
        }
    }
    return tokens;
}

// A cursor over the tokens with keyword matching.
class Cursor {
public:
    explicit Cursor(const std::vector<Token>& tokens) : tokens_(tokens) {}

    [[nodiscard]] bool done() const { return at_ >= tokens_.size(); }
    [[nodiscard]] const Token* peek(std::size_t ahead = 0) const {
        return at_ + ahead < tokens_.size() ? &tokens_[at_ + ahead] : nullptr;
    }
    [[nodiscard]] bool is(std::string_view keyword, std::size_t ahead = 0) const {
        const auto* token = peek(ahead);
        return token != nullptr && token->kind == TokenKind::Word && token->text == keyword;
    }
    bool accept(std::string_view keyword) {
        if (!is(keyword)) return false;
        ++at_;
        return true;
    }
    void skip_if_exists() {
        if (is("IF") && is("EXISTS", 1)) at_ += 2;
        if (is("IF") && is("NOT", 1) && is("EXISTS", 2)) at_ += 3;
    }
    // A possibly qualified name: name ( . name )*.
    std::string name() {
        std::string result;
        while (const auto* token = peek()) {
            if (token->kind != TokenKind::Word && token->kind != TokenKind::QuotedName) break;
            result += token->name;
            ++at_;
            if (peek() == nullptr || peek()->text != ".") break;
            result += ".";
            ++at_;
        }
        return result;
    }
    void next() { ++at_; }
    // The column names of a parenthesised table definition: the first name of each item that is not a
    // table constraint.
    std::vector<std::string> column_names() {
        std::vector<std::string> names;
        if (peek() == nullptr || peek()->text != "(") return names;
        ++at_;
        bool item_start = true;
        while (const auto* token = peek()) {
            if (token->depth == 0) break;
            ++at_;
            if (token->depth == 1 && token->text == ",") {
                item_start = true;
                continue;
            }
            if (!item_start) continue;
            item_start = false;
            const bool constraint =
                token->kind == TokenKind::Word &&
                (token->text == "CONSTRAINT" || token->text == "PRIMARY" || token->text == "UNIQUE" ||
                 token->text == "FOREIGN" || token->text == "CHECK" || token->text == "KEY" ||
                 token->text == "INDEX" || token->text == "FULLTEXT" || token->text == "SPATIAL");
            if (!constraint && (token->kind == TokenKind::Word || token->kind == TokenKind::QuotedName)) {
                names.push_back(token->name);
            }
        }
        return names;
    }
    // Moves past the next ',' at the statement's top level; false at the end.
    bool next_clause() {
        while (const auto* token = peek()) {
            ++at_;
            if (token->depth == 0 && token->text == ",") return true;
        }
        return false;
    }
    [[nodiscard]] bool top_level_word(std::string_view keyword) const {
        for (std::size_t k = at_; k < tokens_.size(); ++k) {
            if (tokens_[k].depth == 0 && tokens_[k].kind == TokenKind::Word && tokens_[k].text == keyword)
                return true;
        }
        return false;
    }

private:
    const std::vector<Token>& tokens_;
    std::size_t at_ = 0;
};

bool is_constraint_word(const Cursor& cursor) {
    for (const auto* word : {"CONSTRAINT", "INDEX", "KEY", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK",
                             "FULLTEXT", "SPATIAL", "PARTITION", "DEFAULT"}) {
        if (cursor.is(word)) return true;
    }
    return false;
}

void alter_table(StatementFacts& facts, Cursor& cursor) {
    cursor.skip_if_exists();
    const auto table = cursor.name();
    do {
        if (cursor.accept("ADD")) {
            const bool column = cursor.accept("COLUMN");
            if (!column && is_constraint_word(cursor)) continue;
            cursor.skip_if_exists();
            facts.added_columns.push_back({table, cursor.name()});
        } else if (cursor.accept("DROP")) {
            const bool column = cursor.accept("COLUMN");
            if (!column && is_constraint_word(cursor)) continue;
            cursor.skip_if_exists();
            facts.dropped_columns.push_back({table, cursor.name()});
        } else if (cursor.accept("RENAME")) {
            if (cursor.accept("COLUMN") ||
                (!cursor.is("TO") && !cursor.is("AS") && !is_constraint_word(cursor))) {
                const auto from = cursor.name();
                cursor.accept("TO");
                facts.renames.push_back({table, from, cursor.name()});
            } else if (cursor.accept("TO") || cursor.accept("AS")) {
                facts.renames.push_back({table, "", cursor.name()});
            }
        } else if (cursor.accept("CHANGE")) {
            cursor.accept("COLUMN");
            const auto from = cursor.name();
            const auto to = cursor.name();
            if (!to.empty() && lower(from) != lower(to)) facts.renames.push_back({table, from, to});
        }
    } while (cursor.next_clause());
}

void create(StatementFacts& facts, Cursor& cursor) {
    cursor.accept("OR");
    cursor.accept("REPLACE");
    cursor.accept("TEMP");
    cursor.accept("TEMPORARY");
    if (cursor.accept("TABLE")) {
        cursor.skip_if_exists();
        facts.created_tables.push_back(cursor.name());
        facts.created_columns = cursor.column_names();
        return;
    }
    cursor.accept("UNIQUE");
    cursor.accept("FULLTEXT");
    cursor.accept("SPATIAL");
    if (cursor.accept("INDEX")) {
        cursor.skip_if_exists();
        if (!cursor.is("ON")) (void)cursor.name();
        if (cursor.accept("ON")) facts.indexed_table = cursor.name();
    }
}

void drop(StatementFacts& facts, Cursor& cursor) {
    cursor.accept("TEMPORARY");
    if (cursor.accept("TABLE")) {
        cursor.skip_if_exists();
        do {
            auto name = cursor.name();
            if (!name.empty()) facts.dropped_tables.push_back(std::move(name));
        } while (cursor.next_clause());
    } else if (cursor.accept("SCHEMA")) {
        cursor.skip_if_exists();
        facts.dropped_schema = cursor.name();
    } else if (cursor.accept("DATABASE")) {
        cursor.skip_if_exists();
        facts.dropped_database = cursor.name();
    }
}

}  // namespace

StatementFacts token_facts(std::string_view sql, dialect::DialectKind kind) {
    StatementFacts facts;
    const auto tokens = tokenize(sql, kind, facts.backslash_escape);
    Cursor cursor(tokens);
    if (cursor.done()) return facts;
    const auto* first = cursor.peek();
    const std::string verb = first->kind == TokenKind::Word ? first->text : "";
    cursor.next();
    if (verb == "CREATE" || verb == "ALTER" || verb == "DROP" || verb == "RENAME" || verb == "TRUNCATE") {
        facts.kind = StatementClass::Ddl;
    } else if (verb == "INSERT" || verb == "UPDATE" || verb == "DELETE" || verb == "REPLACE" ||
               verb == "LOAD") {
        facts.kind = StatementClass::Dml;
    }
    if (verb == "CREATE") {
        create(facts, cursor);
    } else if (verb == "DROP") {
        drop(facts, cursor);
    } else if (verb == "ALTER" && cursor.accept("TABLE")) {
        alter_table(facts, cursor);
    } else if (verb == "RENAME" && cursor.accept("TABLE")) {
        do {
            const auto from = cursor.name();
            cursor.accept("TO");
            facts.renames.push_back({from, "", cursor.name()});
        } while (cursor.next_clause());
    } else if (verb == "TRUNCATE") {
        cursor.accept("TABLE");
        facts.truncated_tables.push_back(cursor.name());
    } else if (verb == "DELETE" && !cursor.top_level_word("WHERE")) {
        while (!cursor.done() && !cursor.accept("FROM")) cursor.next();
        facts.delete_without_where = cursor.name();
    } else if (verb == "UPDATE" && !cursor.top_level_word("WHERE")) {
        cursor.accept("OR");  // SQLite's UPDATE OR REPLACE
        for (const auto* modifier : {"ROLLBACK", "ABORT", "REPLACE", "FAIL", "IGNORE", "LOW_PRIORITY"}) {
            cursor.accept(modifier);
        }
        cursor.accept("IGNORE");
        facts.update_without_where = cursor.name();
    }
    return facts;
}

std::string_view unqualified(std::string_view name) {
    const auto dot = name.rfind('.');
    return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

}  // namespace migrator::lint
