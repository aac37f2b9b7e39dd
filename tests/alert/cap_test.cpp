// CAP 1.2 messages written from the standard's structure (OASIS CAP 1.2,
// section 3: alert, info, area), in Chinese and in English, and hostile XML.
#include "alert/cap.h"

#include <gtest/gtest.h>

#include "base/time_format.h"

namespace nb::alert {
namespace {

WallTime At(const char* iso) { return ParseTimestamp(iso).value(); }

struct CapFields {
  std::string identifier = "CN-SH-QX-20261208-001";
  std::string sent = "2026-12-08T06:30:00+08:00";
  std::string status = "Actual";
  std::string msg_type = "Alert";
  std::string references;
  std::string infos;  // whole <info> blocks
};

std::string Info(const std::string& language, const std::string& severity,
                 const std::string& headline, const std::string& description,
                 const std::string& instruction = "", const std::string& extra = "") {
  std::string xml = "  <info>\n";
  if (!language.empty()) xml += "    <language>" + language + "</language>\n";
  xml +=
      "    <category>Met</category>\n    <event>Rainstorm</event>\n"
      "    <urgency>Immediate</urgency>\n";
  if (!severity.empty()) xml += "    <severity>" + severity + "</severity>\n";
  xml +=
      "    <certainty>Observed</certainty>\n"
      "    <expires>2026-12-08T18:00:00+08:00</expires>\n" +
      extra;
  if (!headline.empty()) xml += "    <headline>" + headline + "</headline>\n";
  if (!description.empty()) xml += "    <description>" + description + "</description>\n";
  if (!instruction.empty()) xml += "    <instruction>" + instruction + "</instruction>\n";
  xml +=
      "    <area><areaDesc>全区 District</areaDesc>"
      "<geocode><valueName>GB2260</valueName><value>310101</value></geocode></area>\n"
      "  </info>\n";
  return xml;
}

const std::string kZhInfo =
    Info("zh-CN", "Severe", "暴雨红色预警：今日停课", "预计3小时内降雨量将达100毫米以上。",
         "学生请留在室内。", "    <senderName>上海市气象台</senderName>\n");
const std::string kEnInfo =
    Info("en-US", "Severe", "Red rainstorm warning: schools closed",
         "Over 100 mm of rain expected within 3 hours.", "Pupils stay indoors.",
         "    <senderName>Shanghai Meteorological Office</senderName>\n");

std::string Cap(const CapFields& f) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n"
      "  <identifier>" +
      f.identifier +
      "</identifier>\n"
      "  <sender>warnings@qx.example.gov.cn</sender>\n"
      "  <sent>" +
      f.sent +
      "</sent>\n"
      "  <status>" +
      f.status +
      "</status>\n"
      "  <msgType>" +
      f.msg_type +
      "</msgType>\n"
      "  <scope>Public</scope>\n";
  if (!f.references.empty()) xml += "  <references>" + f.references + "</references>\n";
  return xml + f.infos + "</alert>\n";
}

AlertMessage Parse(const std::string& xml) {
  std::string error;
  std::optional<AlertMessage> message = ParseCap(xml, &error);
  EXPECT_TRUE(message.has_value()) << error << "\n" << xml;
  return message.value_or(AlertMessage{});
}

std::string Error(const std::string& xml) {
  std::string error;
  EXPECT_FALSE(ParseCap(xml, &error).has_value()) << xml.substr(0, 400);
  EXPECT_FALSE(error.empty());
  return error;
}

TEST(Cap, ChineseAlert) {
  CapFields f;
  f.infos = kZhInfo;
  AlertMessage m = Parse(Cap(f));
  ASSERT_EQ(m.upserts.size(), 1u);
  EXPECT_FALSE(m.whole_set);
  const Alert& a = m.upserts[0];
  EXPECT_EQ(a.id, "CN-SH-QX-20261208-001");
  EXPECT_EQ(a.severity, Severity::kCritical);
  EXPECT_EQ(a.status, AlertStatus::kActual);
  EXPECT_EQ(a.title, "暴雨红色预警：今日停课");
  EXPECT_EQ(a.text, "预计3小时内降雨量将达100毫米以上。\n学生请留在室内。");
  EXPECT_EQ(a.source, "上海市气象台");
  EXPECT_EQ(a.issued, At("2026-12-07T22:30:00Z"));
  EXPECT_EQ(a.expires, At("2026-12-08T10:00:00Z"));
  EXPECT_TRUE(a.replaces.empty());
}

TEST(Cap, EnglishAlertWithPrefixedNamespace) {
  std::string xml =
      "<cap:alert xmlns:cap=\"urn:oasis:names:tc:emergency:cap:1.2\">"
      "<cap:identifier>UK-EA-1</cap:identifier><cap:sender>ea@example.gov.uk</cap:sender>"
      "<cap:sent>2026-12-08T06:30:00-00:00</cap:sent><cap:status>Actual</cap:status>"
      "<cap:msgType>Alert</cap:msgType><cap:scope>Public</cap:scope>"
      "<cap:info><cap:category>Met</cap:category><cap:event>Flood warning</cap:event>"
      "<cap:urgency>Expected</cap:urgency><cap:severity>Moderate</cap:severity>"
      "<cap:certainty>Likely</cap:certainty>"
      "<cap:description><![CDATA[River levels <rising> & expected to peak at noon.]]>"
      "</cap:description></cap:info></cap:alert>";
  AlertMessage m = Parse(xml);
  ASSERT_EQ(m.upserts.size(), 1u);
  const Alert& a = m.upserts[0];
  EXPECT_EQ(a.severity, Severity::kWarning);
  EXPECT_EQ(a.title, "Flood warning");  // no headline: the event
  EXPECT_EQ(a.text, "River levels <rising> & expected to peak at noon.");
  EXPECT_EQ(a.issued, At("2026-12-08T06:30:00Z"));
  EXPECT_FALSE(a.expires);
  EXPECT_EQ(a.source, "");
}

TEST(Cap, ChoosesTheChineseInfoElseTheFirst) {
  CapFields f;
  f.infos = kEnInfo + kZhInfo;
  EXPECT_EQ(Parse(Cap(f)).upserts[0].title, "暴雨红色预警：今日停课");
  f.infos = kEnInfo + Info("fr-FR", "Severe", "Alerte", "");
  EXPECT_EQ(Parse(Cap(f)).upserts[0].title, "Red rainstorm warning: schools closed");
  // zh-CN before another Chinese one, whatever the order; any zh before en.
  f.infos = kEnInfo + Info("zh-TW", "Severe", "暴雨警報", "") + kZhInfo;
  EXPECT_EQ(Parse(Cap(f)).upserts[0].title, "暴雨红色预警：今日停课");
  f.infos = kEnInfo + Info("zh-Hans", "Minor", "小雨", "");
  EXPECT_EQ(Parse(Cap(f)).upserts[0].title, "小雨");
  // No <language>: en-US by the standard, so the first.
  f.infos = Info("", "Minor", "No language", "") + kEnInfo;
  EXPECT_EQ(Parse(Cap(f)).upserts[0].title, "No language");
}

TEST(Cap, SeverityMapping) {
  struct {
    const char* cap;
    Severity ours;
  } cases[] = {{"Extreme", Severity::kCritical}, {"Severe", Severity::kCritical},
               {"Moderate", Severity::kWarning}, {"Minor", Severity::kInfo},
               {"Unknown", Severity::kWarning},  {"", Severity::kWarning}};
  for (const auto& c : cases) {
    CapFields f;
    f.infos = Info("zh-CN", c.cap, "标题", "");
    EXPECT_EQ(Parse(Cap(f)).upserts[0].severity, c.ours) << c.cap;
  }
  CapFields f;
  f.infos = Info("zh-CN", "Bad", "标题", "");
  EXPECT_EQ(Error(Cap(f)),
            "CAP <info>/<severity> \"Bad\" is not one of Extreme, Severe, Moderate, Minor, "
            "Unknown");
}

TEST(Cap, UpdateReplacesTheReferencedAlerts) {
  CapFields f;
  f.identifier = "CN-SH-QX-20261208-002";
  f.msg_type = "Update";
  f.references =
      "warnings@qx.example.gov.cn,CN-SH-QX-20261208-001,2026-12-08T06:30:00+08:00\n"
      "  warnings@qx.example.gov.cn,CN-SH-QX-20261207-009,2026-12-07T20:00:00+08:00";
  f.infos = Info("zh-CN", "Extreme", "暴雨红色预警升级", "");
  AlertMessage m = Parse(Cap(f));
  ASSERT_EQ(m.upserts.size(), 1u);
  EXPECT_EQ(m.upserts[0].id, "CN-SH-QX-20261208-002");
  EXPECT_EQ(m.upserts[0].replaces,
            (std::vector<std::string>{"CN-SH-QX-20261208-001", "CN-SH-QX-20261207-009"}));
  EXPECT_TRUE(m.cancels.empty());
}

TEST(Cap, CancelEndsTheReferencedAlerts) {
  CapFields f;
  f.identifier = "CN-SH-QX-20261208-003";
  f.msg_type = "Cancel";
  f.references = "warnings@qx.example.gov.cn,CN-SH-QX-20261208-002,2026-12-08T08:00:00+08:00";
  f.infos = Info("zh-CN", "Minor", "解除暴雨预警", "");
  AlertMessage m = Parse(Cap(f));
  EXPECT_TRUE(m.upserts.empty());
  EXPECT_EQ(m.cancels, std::vector<std::string>{"CN-SH-QX-20261208-002"});

  f.references = "";
  EXPECT_NE(Error(Cap(f)).find("no <references>"), std::string::npos);
  f.references = "only-an-identifier";
  EXPECT_NE(Error(Cap(f)).find("is not sender,identifier,sent"), std::string::npos);
}

TEST(Cap, ExercisesAndTestsAreMarkedSystemAndDraftAreNothing) {
  CapFields f;
  f.infos = kZhInfo;
  f.status = "Exercise";
  EXPECT_EQ(Parse(Cap(f)).upserts.at(0).status, AlertStatus::kExercise);
  f.status = "Test";
  EXPECT_EQ(Parse(Cap(f)).upserts.at(0).status, AlertStatus::kTest);
  for (const char* nothing : {"System", "Draft"}) {
    f.status = nothing;
    AlertMessage m = Parse(Cap(f));
    EXPECT_TRUE(m.upserts.empty() && m.cancels.empty()) << nothing;
  }
  f.status = "Real";
  EXPECT_NE(Error(Cap(f)).find("CAP <status> \"Real\""), std::string::npos);
}

TEST(Cap, AckAndErrorAreNothingToShow) {
  CapFields f;
  f.references = "warnings@qx.example.gov.cn,CN-SH-QX-20261208-001,2026-12-08T06:30:00+08:00";
  for (const char* type : {"Ack", "Error"}) {
    f.msg_type = type;
    AlertMessage m = Parse(Cap(f));
    EXPECT_TRUE(m.upserts.empty() && m.cancels.empty()) << type;
  }
  f.msg_type = "Notice";
  EXPECT_NE(Error(Cap(f)).find("CAP <msgType> \"Notice\""), std::string::npos);
}

TEST(Cap, MissingOrBadFieldsNameTheElement) {
  CapFields f;
  f.infos = kZhInfo;
  std::string xml = Cap(f);
  std::string no_identifier = xml;
  no_identifier.replace(no_identifier.find("<identifier>"),
                        std::string("<identifier>CN-SH-QX-20261208-001</identifier>").size(), "");
  EXPECT_NE(Error(no_identifier).find("<identifier> is missing"), std::string::npos);
  f.sent = "2026-12-08 06:30";
  EXPECT_NE(Error(Cap(f)).find("CAP <sent> \"2026-12-08 06:30\" is not a time"), std::string::npos);
  f.sent = "2026-12-08T19:00:00+08:00";  // after the info's expires
  EXPECT_NE(Error(Cap(f)).find("<info>/<expires>"), std::string::npos);
  f = CapFields();
  EXPECT_NE(Error(Cap(f)).find("has no <info>"), std::string::npos);
  f.infos = Info("zh-CN", "Minor", "", "");
  f.infos.replace(f.infos.find("<event>Rainstorm</event>"), 24, "");
  EXPECT_NE(Error(Cap(f)).find("no <headline> and no <event>"), std::string::npos);
}

// Hostile XML: each refused with its reason, nothing fetched or expanded.
TEST(Cap, RefusesMalformedXml) {
  std::string e = Error(
      "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n"
      "<identifier>x</identifer></alert>");
  EXPECT_NE(e.find("not well-formed XML"), std::string::npos) << e;
  EXPECT_NE(e.find("line 2"), std::string::npos) << e;
  EXPECT_NE(Error("").find("CAP"), std::string::npos);
  EXPECT_NE(Error("{\"id\": \"a\"}").find("CAP"), std::string::npos);
}

TEST(Cap, RefusesABillionLaughs) {
  std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE alert [\n <!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    std::string previous = i == 1 ? "lol" : "lol" + std::to_string(i - 1);
    xml += " <!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) xml += "&" + previous + ";";
    xml += "\">\n";
  }
  xml +=
      "]>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>&lol9;"
      "</identifier></alert>";
  EXPECT_NE(Error(xml).find("DOCTYPE"), std::string::npos);
}

TEST(Cap, RefusesAnExternalEntity) {
  CapFields f;
  f.infos = Info("en-US", "Severe", "&xxe;", "");
  std::string xml = Cap(f);
  xml.insert(xml.find("<alert"),
             "<!DOCTYPE alert [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n");
  std::string e = Error(xml);
  EXPECT_NE(e.find("DOCTYPE"), std::string::npos) << e;
  EXPECT_EQ(e.find("root:"), std::string::npos) << e;
  // Even a lower-case or bare one.
  EXPECT_NE(Error("<!doctype alert SYSTEM \"http://example.com/cap.dtd\"><alert/>").find("DTD"),
            std::string::npos);
}

TEST(Cap, RefusesADocumentTooLarge) {
  CapFields f;
  f.infos = Info("zh-CN", "Severe", "大", std::string(5 << 20, 'x'));
  std::string e = Error(Cap(f));
  EXPECT_NE(e.find("bytes long; at most 1048576"), std::string::npos) << e;
}

TEST(Cap, RefusesAWrongNamespace) {
  CapFields f;
  f.infos = kZhInfo;
  std::string cap11 = Cap(f);
  cap11.replace(cap11.find("cap:1.2"), 7, "cap:1.1");
  EXPECT_EQ(Error(cap11),
            "the CAP <alert> is in the namespace urn:oasis:names:tc:emergency:cap:1.1: expected "
            "urn:oasis:names:tc:emergency:cap:1.2 (CAP 1.2)");
  EXPECT_NE(Error("<alert><identifier>a</identifier></alert>").find("in no namespace"),
            std::string::npos);
  EXPECT_NE(Error("<rss version=\"2.0\"><channel/></rss>").find("<rss>, not a CAP <alert>"),
            std::string::npos);
  // Elements of another namespace inside are not CAP's: here the identifier.
  std::string foreign = Cap(f);
  foreign.replace(foreign.find("<identifier>"), 12, "<identifier xmlns=\"urn:other\">");
  EXPECT_NE(Error(foreign).find("<identifier> is missing"), std::string::npos);
}

TEST(Cap, RefusesNestingTooDeep) {
  CapFields f;
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "<parameter>";
  for (int i = 0; i < 20; ++i) deep += "</parameter>";
  f.infos = Info("zh-CN", "Severe", "深", "", "", "    " + deep + "\n");
  EXPECT_NE(Error(Cap(f)).find("nests elements more than 16 deep"), std::string::npos);
  // Far deeper than any stack would take by recursion.
  std::string very_deep = "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">";
  for (int i = 0; i < 200000; ++i) very_deep += "<a>";
  EXPECT_NE(Error(very_deep).find("CAP"), std::string::npos);
}

TEST(Cap, RefusesTextThatIsNotUtf8) {
  CapFields f;
  f.infos = Info("zh-CN", "Severe", "\xB1\xA9\xD3\xEA", "");  // GBK, not UTF-8
  EXPECT_NE(Error(Cap(f)).find("not valid UTF-8"), std::string::npos);
}

TEST(Cap, DocumentTypeByContentTypeOrName) {
  CapFields f;
  f.infos = kZhInfo;
  std::string error;
  for (const char* type : {"application/cap+xml", "application/xml; charset=utf-8", "text/xml",
                           "ALERT.XML", "noticeboard/alert.xml"}) {
    auto m = ParseAlertDocument(Cap(f), type, &error);
    EXPECT_TRUE(m && m->upserts.size() == 1) << type << ": " << error;
  }
  auto json = ParseAlertDocument(R"({"cancel": "a"})", "application/json", &error);
  ASSERT_TRUE(json) << error;
  EXPECT_EQ(json->cancels.size(), 1u);
  EXPECT_FALSE(ParseAlertDocument(Cap(f), "alert.json", &error));
  EXPECT_NE(error.find("JSON syntax error"), std::string::npos) << error;
}

}  // namespace
}  // namespace nb::alert
