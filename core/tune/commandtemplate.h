// A command sweep's template made into the argv a trial runs. Values never become shell syntax:
// a template of plain words runs without a shell, each placeholder's value inside its argv
// element; where the template is shell text, each value is quoted for the place it stands.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace trainscope {

struct CommandLine {
    std::vector<std::string> argv;
    bool viaShell = false;    // the template uses the shell's syntax: argv is sh -c TEXT
    std::string text() const; // argv as one would type it, for messages and logs
};

// A placeholder's value; nothing for an inactive parameter (it becomes nothing, as an empty
// unquoted shell word does).
using PlaceholderValue = std::function<std::optional<std::string>(const std::string &name)>;

// {name} is a placeholder wherever it stands; ${VAR} and braces around anything but a name are
// the shell's. Plain words (quotes and backslashes allowed) run directly; a template with
// pipes, redirections, ;, &&, $ expansions, globs or `...` runs under /bin/sh -c. The script
// of a shell in plain words (`sh -c 'echo {x}'`) is shell text too, and quoted as such.
CommandLine expandCommand(const std::string &command, const PlaceholderValue &value);

// Every placeholder's name, in order, for checking them against the space.
std::vector<std::string> commandPlaceholders(const std::string &command);

// `s` as one shell word ('…' with ' escaped; plain words as they are).
std::string shellQuote(const std::string &s);

} // namespace trainscope
