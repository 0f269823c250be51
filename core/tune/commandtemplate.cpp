#include "core/tune/commandtemplate.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

namespace trainscope {
namespace {

bool isNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

// The placeholder's name when `text` has one at `at` ("{name}", not "${name}"), and its end.
std::optional<std::string> placeholderAt(const std::string &text, size_t at, size_t *end) {
    if (text[at] != '{' || (at > 0 && text[at - 1] == '$')) return std::nullopt;
    const size_t close = text.find('}', at + 1);
    if (close == std::string::npos || close == at + 1) return std::nullopt;
    if (!std::all_of(text.begin() + long(at + 1), text.begin() + long(close), isNameChar))
        return std::nullopt;
    *end = close + 1;
    return text.substr(at + 1, close - at - 1);
}

// Needs no quotes anywhere in a command line ('=' might make an assignment of it).
bool shellSafe(const std::string &s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return isNameChar(c) || c == '/' || c == ':' || c == ',' || c == '+';
    });
}

// Each value straight into the text: an argv element has no syntax left to break.
std::string substituteRaw(const std::string &word, const PlaceholderValue &value, bool *any) {
    std::string out;
    for (size_t i = 0; i < word.size();) {
        size_t end = 0;
        if (const auto name = placeholderAt(word, i, &end)) {
            *any = true;
            if (const auto v = value(*name)) out += *v;
            i = end;
        } else {
            out += word[i++];
        }
    }
    return out;
}

// Each value quoted for where it stands in shell text: a word of its own outside quotes, the
// inside of '…' or of "…" within them.
std::string substituteInShell(const std::string &script, const PlaceholderValue &value) {
    enum class Quote { None, Single, Double } quote = Quote::None;
    std::string out;
    for (size_t i = 0; i < script.size();) {
        const char c = script[i];
        size_t end = 0;
        if (const auto name = placeholderAt(script, i, &end)) {
            const std::optional<std::string> v = value(*name);
            i = end;
            if (!v) continue; // inactive: nothing
            if (quote == Quote::None) {
                out += *v == "" ? std::string("''") : shellQuote(*v);
            } else if (quote == Quote::Single) {
                for (char ch : *v)
                    out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
            } else {
                for (char ch : *v) {
                    if (ch == '\\' || ch == '$' || ch == '`' || ch == '"') out += '\\';
                    out += ch;
                }
            }
            continue;
        }
        out += c;
        ++i;
        if (quote == Quote::Single) {
            if (c == '\'') quote = Quote::None;
        } else if (c == '\\' && i < script.size()) {
            out += script[i++]; // escaped: never a quote or a placeholder
        } else if (c == '"') {
            quote = quote == Quote::Double ? Quote::None : Quote::Double;
        } else if (c == '\'' && quote == Quote::None) {
            quote = Quote::Single;
        }
    }
    return out;
}

struct Word {
    std::string text; // quotes and backslashes removed, placeholders as written
    bool quoted = false;
};

// The template as plain words, or nothing when it needs the shell (pipes, redirections, lists,
// expansions, globs, an environment assignment, a line break).
std::optional<std::vector<Word>> plainWords(const std::string &command) {
    static const std::string kShellSyntax = "|&;<>()$`*?[]#~\n";
    std::vector<Word> words;
    std::optional<Word> word;
    for (size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (c == ' ' || c == '\t') {
            if (word) words.push_back(std::move(*word));
            word.reset();
            continue;
        }
        if (!word) word.emplace();
        if (c == '\'') {
            const size_t close = command.find('\'', i + 1);
            if (close == std::string::npos) throw std::invalid_argument("a ' is not closed");
            word->text += command.substr(i + 1, close - i - 1);
            word->quoted = true;
            i = close;
        } else if (c == '"') {
            word->quoted = true;
            for (++i;; ++i) {
                if (i >= command.size()) throw std::invalid_argument("a \" is not closed");
                const char d = command[i];
                if (d == '"') break;
                if (d == '$' || d == '`') return std::nullopt;
                if (d == '\\' && i + 1 < command.size() &&
                    std::string("\\\"$`\n").find(command[i + 1]) != std::string::npos)
                    ++i;
                word->text += command[i];
            }
        } else if (c == '\\') {
            if (i + 1 >= command.size() || command[i + 1] == '\n') return std::nullopt;
            word->text += command[++i];
            word->quoted = true;
        } else if (kShellSyntax.find(c) != std::string::npos) {
            return std::nullopt;
        } else if (c == '=' && words.empty() && !word->quoted) {
            return std::nullopt; // VAR=value command
        } else {
            word->text += c;
        }
    }
    if (word) words.push_back(std::move(*word));
    return words;
}

bool isShell(const std::string &program) {
    static const char *const kShells[] = {"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash"};
    const std::string name = std::filesystem::path(program).filename().string();
    return std::any_of(std::begin(kShells), std::end(kShells),
                       [&](const char *s) { return name == s; });
}

// -c, -ec, -xc…: the shell's first operand after it is a script.
bool isCommandOption(const std::string &word) {
    return word.size() >= 2 && word[0] == '-' && word.find('c') != std::string::npos &&
           std::all_of(word.begin() + 1, word.end(),
                       [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

} // namespace

std::string shellQuote(const std::string &s) {
    if (shellSafe(s)) return s;
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string CommandLine::text() const {
    if (viaShell && argv.size() == 3) return argv[2];
    std::string out;
    for (const std::string &a : argv)
        out += (out.empty() ? "" : " ") + shellQuote(a);
    return out;
}

CommandLine expandCommand(const std::string &command, const PlaceholderValue &value) {
    CommandLine line;
    const std::optional<std::vector<Word>> words = plainWords(command);
    if (!words) {
        line.viaShell = true;
        line.argv = {"/bin/sh", "-c", substituteInShell(command, value)};
        return line;
    }
    const bool shell = !words->empty() && isShell(words->front().text);
    bool commandOption = false, scriptTaken = false;
    for (size_t k = 0; k < words->size(); ++k) {
        const Word &w = (*words)[k];
        if (shell && k > 0 && !scriptTaken) {
            if (commandOption && w.text.rfind('-', 0) != 0) {
                line.argv.push_back(substituteInShell(w.text, value));
                scriptTaken = true;
                continue;
            }
            commandOption = commandOption || isCommandOption(w.text);
        }
        bool any = false;
        std::string arg = substituteRaw(w.text, value, &any);
        if (arg.empty() && any && !w.quoted) continue; // an inactive parameter's word
        line.argv.push_back(std::move(arg));
    }
    if (line.argv.empty()) throw std::invalid_argument("the command is empty");
    return line;
}

std::vector<std::string> commandPlaceholders(const std::string &command) {
    std::vector<std::string> names;
    for (size_t i = 0; i < command.size();) {
        size_t end = 0;
        if (const auto name = placeholderAt(command, i, &end)) {
            names.push_back(*name);
            i = end;
        } else {
            ++i;
        }
    }
    return names;
}

} // namespace trainscope
