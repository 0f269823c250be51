// Run and tag names between core (bytes, nearly always UTF-8) and Qt (UTF-16), losslessly: a
// byte that is not part of valid UTF-8 becomes a lone surrogate U+DC80..U+DCFF (Python's
// "surrogateescape") and comes back as the same byte, so a name shown in the GUI always finds
// its run or tag again.
#pragma once

#include <QString>
#include <string>

namespace trainscope {

QString fromName(const std::string &name);
std::string toName(const QString &name);
// `name` with its escaped bytes shown as U+FFFD: valid UTF-16 for regular expressions (which
// match nothing in a string holding lone surrogates) and for display.
QString displayName(const QString &name);

} // namespace trainscope
