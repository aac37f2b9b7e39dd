// CAP 1.2 through pugixml: limits and refusals first, then the fields we show.
#include "alert/cap.h"

#include <algorithm>
#include <cctype>
#include <pugixml.hpp>
#include <utility>
#include <vector>

#include "alert/alert_json.h"
#include "alert/alert_text.h"
#include "base/time_format.h"

namespace nb::alert {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string_view LocalName(std::string_view name) {
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The namespace an element's name is in: the nearest xmlns (or xmlns:prefix)
// declaration on it or its ancestors; "" when there is none.
std::string NamespaceOf(pugi::xml_node element) {
  std::string_view name = element.name();
  std::size_t colon = name.find(':');
  std::string attribute =
      colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  for (pugi::xml_node n = element; n.type() == pugi::node_element; n = n.parent()) {
    if (pugi::xml_attribute a = n.attribute(attribute.c_str())) return a.value();
  }
  return "";
}

bool IsCap(pugi::xml_node node, std::string_view local_name) {
  return node.type() == pugi::node_element && LocalName(node.name()) == local_name &&
         NamespaceOf(node) == kCapNamespace;
}

std::vector<pugi::xml_node> CapChildren(pugi::xml_node parent, std::string_view local_name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child : parent.children()) {
    if (IsCap(child, local_name)) out.push_back(child);
  }
  return out;
}

pugi::xml_node CapChild(pugi::xml_node parent, std::string_view local_name) {
  for (pugi::xml_node child : parent.children()) {
    if (IsCap(child, local_name)) return child;
  }
  return {};
}

// An element's own text (its character data and CDATA sections), trimmed.
std::string TextOf(pugi::xml_node element) {
  std::string text;
  for (pugi::xml_node child : element.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
      text += child.value();
  }
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Line and column (characters) of a byte offset, for a syntax error.
std::string PlaceOf(std::string_view xml, std::size_t offset) {
  offset = std::min(offset, xml.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (xml[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(xml[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Looked for in the text before parsing, as well as in the parsed document:
// the parser is never given a DTD to read (pugixml reads nested sections of
// one recursively).
bool MentionsDoctype(std::string_view xml) {
  static constexpr std::string_view kDoctype = "<!doctype";
  return std::search(xml.begin(), xml.end(), kDoctype.begin(), kDoctype.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         }) != xml.end();
}

bool HasDoctype(const pugi::xml_document& doc) {
  for (pugi::xml_node n : doc.children()) {
    if (n.type() == pugi::node_doctype) return true;
  }
  return false;
}

// The deepest element's depth (the root element is 1), counted without
// recursion; stops once past `limit`.
int ElementDepth(pugi::xml_node doc, int limit) {
  struct Walker : pugi::xml_tree_walker {
    int limit = 0, deepest = 0;
    bool for_each(pugi::xml_node& node) override {
      if (node.type() == pugi::node_element) deepest = std::max(deepest, depth() + 1);
      return deepest <= limit;
    }
  } walker;
  walker.limit = limit;
  doc.traverse(walker);
  return walker.deepest;
}

class CapReader {
 public:
  explicit CapReader(std::string* error) : error_(*error) {}

  std::optional<AlertMessage> Read(pugi::xml_node root) {
    std::string id = Required(root, "identifier");
    std::string status = Required(root, "status");
    std::string type = Required(root, "msgType");
    if (!error_.empty()) return std::nullopt;
    if (std::string why = CheckAlertId(id); !why.empty()) {
      return Fail("CAP <identifier> \"" + id + "\" cannot be used: " + why);
    }
    AlertMessage message;
    AlertStatus alert_status = AlertStatus::kActual;
    if (status == "Exercise") {
      alert_status = AlertStatus::kExercise;
    } else if (status == "Test") {
      alert_status = AlertStatus::kTest;
    } else if (status == "System" || status == "Draft") {
      return message;  // not meant for the public
    } else if (status != "Actual") {
      return Fail("CAP <status> \"" + status +
                  "\" is not one of Actual, Exercise, System, Test, Draft");
    }
    if (type == "Ack" || type == "Error") return message;  // between systems: nothing to show
    if (type != "Alert" && type != "Update" && type != "Cancel") {
      return Fail("CAP <msgType> \"" + type + "\" is not one of Alert, Update, Cancel, Ack, Error");
    }
    std::vector<std::string> referenced;
    if (!References(root, &referenced)) return std::nullopt;
    if (type == "Cancel") {
      if (referenced.empty()) {
        return Fail("CAP Cancel " + id + " has no <references>: nothing says which alert it ends");
      }
      message.cancels = std::move(referenced);
      return message;
    }
    Alert alert;
    alert.id = id;
    alert.status = alert_status;
    if (type == "Update") {
      for (std::string& r : referenced) {
        if (r != id) alert.replaces.push_back(std::move(r));
      }
    }
    std::string sent = Required(root, "sent");
    if (sent.empty() || !(alert.issued = Time(sent, "<sent>"))) return std::nullopt;
    if (!FromInfo(ChooseInfo(root), &alert)) return std::nullopt;
    message.upserts.push_back(std::move(alert));
    return message;
  }

 private:
  std::nullopt_t Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return std::nullopt;
  }

  std::string Required(pugi::xml_node parent, std::string_view name) {
    std::string value = TextOf(CapChild(parent, name));
    if (value.empty()) Fail("CAP <alert>/<" + std::string(name) + "> is missing or empty");
    return value;
  }

  std::optional<WallTime> Time(const std::string& text, const std::string& element) {
    std::string why;
    auto time = ParseTimestamp(text, &why);
    if (!time) Fail("CAP " + element + " \"" + text + "\" is not a time: " + why);
    return time;
  }

  // "sender,identifier,sent" triples separated by spaces → the identifiers.
  bool References(pugi::xml_node root, std::vector<std::string>* ids) {
    std::string text = TextOf(CapChild(root, "references"));
    std::size_t at = 0;
    while ((at = text.find_first_not_of(" \t\r\n", at)) != std::string::npos) {
      std::size_t end = std::min(text.find_first_of(" \t\r\n", at), text.size());
      std::string triple = text.substr(at, end - at);
      at = end;
      std::size_t first = triple.find(','), second = triple.find(',', first + 1);
      if (first == std::string::npos || second == std::string::npos ||
          triple.find(',', second + 1) != std::string::npos) {
        Fail("CAP <references> entry \"" + triple + "\" is not sender,identifier,sent");
        return false;
      }
      std::string id = triple.substr(first + 1, second - first - 1);
      if (std::string why = CheckAlertId(id); !why.empty()) {
        Fail("CAP <references> identifier \"" + id + "\" cannot be used: " + why);
        return false;
      }
      if (std::find(ids->begin(), ids->end(), id) == ids->end()) ids->push_back(std::move(id));
    }
    return true;
  }

  // zh-CN first, then another Chinese one, then the first; CAP's default
  // language is en-US.
  static pugi::xml_node ChooseInfo(pugi::xml_node root) {
    std::vector<pugi::xml_node> infos = CapChildren(root, "info");
    if (infos.empty()) return {};
    for (const char* wanted : {"zh-cn", "zh"}) {
      for (pugi::xml_node info : infos) {
        std::string language = Lower(TextOf(CapChild(info, "language")));
        if (language == wanted || (std::string_view(wanted) == "zh" && StartsWith(language, "zh")))
          return info;
      }
    }
    return infos.front();
  }

  bool Clean(const std::string& raw, bool multiline, const std::string& element, std::string* out) {
    std::string why;
    std::optional<std::string> clean = CleanText(raw, multiline, &why);
    if (!clean) {
      Fail("CAP <info>/<" + element + "> cannot be shown: " + why);
      return false;
    }
    *out = std::move(*clean);
    return true;
  }

  bool FromInfo(pugi::xml_node info, Alert* alert) {
    if (!info) {
      Fail("CAP <alert> " + alert->id + " has no <info>: nothing to show");
      return false;
    }
    std::string severity = TextOf(CapChild(info, "severity"));
    if (severity == "Extreme" || severity == "Severe") {
      alert->severity = Severity::kCritical;
    } else if (severity == "Moderate" || severity == "Unknown" || severity.empty()) {
      alert->severity = Severity::kWarning;
    } else if (severity == "Minor") {
      alert->severity = Severity::kInfo;
    } else {
      Fail("CAP <info>/<severity> \"" + severity +
           "\" is not one of Extreme, Severe, Moderate, Minor, Unknown");
      return false;
    }
    std::string headline = TextOf(CapChild(info, "headline"));
    if (headline.empty()) headline = TextOf(CapChild(info, "event"));
    if (!Clean(headline, false, "headline", &alert->title)) return false;
    if (alert->title.empty()) {
      Fail("CAP <info> has no <headline> and no <event>: nothing to show as the title");
      return false;
    }
    std::string description, instruction;
    if (!Clean(TextOf(CapChild(info, "description")), true, "description", &description) ||
        !Clean(TextOf(CapChild(info, "instruction")), true, "instruction", &instruction) ||
        !Clean(TextOf(CapChild(info, "senderName")), false, "senderName", &alert->source)) {
      return false;
    }
    alert->text = description;
    if (!instruction.empty()) alert->text += (description.empty() ? "" : "\n") + instruction;
    if (std::string expires = TextOf(CapChild(info, "expires")); !expires.empty()) {
      alert->expires = Time(expires, "<info>/<expires>");
      if (!alert->expires) return false;
      if (alert->issued && *alert->expires < *alert->issued) {
        Fail("CAP <info>/<expires> \"" + expires +
             "\" is before <sent>: an alert cannot end before it is sent");
        return false;
      }
    }
    return true;
  }

  std::string& error_;
};

}  // namespace

std::optional<AlertMessage> ParseCap(std::string_view xml, std::string* error) {
  error->clear();
  if (xml.size() > kMaxCapBytes) {
    *error = "the CAP document is " + std::to_string(xml.size()) + " bytes long; at most " +
             std::to_string(kMaxCapBytes) + " are read";
    return std::nullopt;
  }
  const char* kDoctypeRefused =
      "the CAP document has a DOCTYPE (a DTD): refused, as CAP needs none and a DTD can declare "
      "entities that expand without end or read files";
  if (MentionsDoctype(xml)) {
    *error = kDoctypeRefused;
    return std::nullopt;
  }
  pugi::xml_document doc;
  // UTF-8 only (no conversion from a declared encoding), so that the scan
  // above saw the text the parser reads. parse_doctype keeps a DOCTYPE as a
  // node, to refuse; pugixml itself never expands a DTD's entities.
  pugi::xml_parse_result parsed = doc.load_buffer(
      xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
  if (HasDoctype(doc)) {
    *error = kDoctypeRefused;
    return std::nullopt;
  }
  if (!parsed) {
    *error = std::string("the CAP document is not well-formed XML: ") + parsed.description() +
             " at " + PlaceOf(xml, static_cast<std::size_t>(parsed.offset));
    return std::nullopt;
  }
  if (int depth = ElementDepth(doc, kMaxCapDepth); depth > kMaxCapDepth) {
    *error = "the CAP document nests elements more than " + std::to_string(kMaxCapDepth) +
             " deep; a CAP alert needs five";
    return std::nullopt;
  }
  pugi::xml_node root = doc.document_element();
  if (!root) {
    *error = "the CAP document has no element: expected an <alert>";
    return std::nullopt;
  }
  if (LocalName(root.name()) != "alert") {
    *error = "the XML document is a <" + std::string(root.name()) + ">, not a CAP <alert>";
    return std::nullopt;
  }
  if (std::string ns = NamespaceOf(root); ns != kCapNamespace) {
    *error = "the CAP <alert> is in " +
             (ns.empty() ? std::string("no namespace") : "the namespace " + ns) + ": expected " +
             kCapNamespace + " (CAP 1.2)";
    return std::nullopt;
  }
  return CapReader(error).Read(root);
}

std::optional<AlertMessage> ParseAlertDocument(std::string_view body, std::string_view type_or_name,
                                               std::string* error) {
  std::string type = Lower(type_or_name);
  type = type.substr(0, type.find(';'));
  type.erase(type.find_last_not_of(" \t") + 1);
  bool cap = type == "application/cap+xml" || type == "application/xml" || type == "text/xml" ||
             (type.size() >= 4 && type.compare(type.size() - 4, 4, ".xml") == 0);
  return cap ? ParseCap(body, error) : ParseAlertJson(body, error);
}

}  // namespace nb::alert
