// CAP 1.2 (OASIS Common Alerting Protocol, the XML public warning systems
// publish), read into an AlertMessage.
//
// Contract:
// - ParseCap takes one <alert> in the namespace
//   urn:oasis:names:tc:emergency:cap:1.2, at most kMaxCapBytes, nested at
//   most kMaxCapDepth deep. Parsed with a real XML parser; a DOCTYPE is
//   refused outright (no DTD, so no entity expansion and no external
//   entity is ever fetched); so is a document that mentions one anywhere
//   (the text is scanned before the parser sees it). The text is read as
//   UTF-8 whatever its declaration says. Anything refused gives nullopt
//   and *error in plain words naming the element ("CAP <info>/<severity>
//   \"Bad\" is not one of Extreme, Severe, Moderate, Minor, Unknown").
// - identifier, status and msgType are required (and sent for an Alert or
//   an Update), as CAP says. identifier → id; sent → issued; senderName
//   (of the chosen info) → source; msgType Alert and Update → an upsert
//   (Update replaces the identifiers in <references>, "sender,identifier,
//   sent" triples, by identifier); Cancel → cancels of the referenced identifiers (a Cancel
//   without <references> is an error); Ack and Error → an empty message
//   (nothing to show). Alert and Update need an <info>.
// - status Actual → kActual; Exercise → kExercise, Test → kTest (whether
//   they are shown is the caller's policy); System and Draft → an empty
//   message.
// - Of several <info> blocks the first whose <language> starts with "zh"
//   (zh-CN before other zh) is used, else the first. severity Extreme and
//   Severe → kCritical, Moderate → kWarning, Minor → kInfo, Unknown (or no
//   <severity>) → kWarning. headline → title (else the event); description,
//   then instruction, → text; expires → expires (not before sent). Elements
//   of other namespaces (extensions) are ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "alert/alert.h"

namespace nb::alert {

inline constexpr std::size_t kMaxCapBytes = 1 << 20;
inline constexpr int kMaxCapDepth = 16;
inline constexpr const char* kCapNamespace = "urn:oasis:names:tc:emergency:cap:1.2";

std::optional<AlertMessage> ParseCap(std::string_view xml, std::string* error);

// The format by Content-Type or file name: CAP for application/cap+xml,
// application/xml, text/xml or a name ending .xml; ours otherwise. Then the
// parser above.
std::optional<AlertMessage> ParseAlertDocument(std::string_view body, std::string_view type_or_name,
                                               std::string* error);

}  // namespace nb::alert
