#include "bulletin/bulletin.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace nb::bulletin {
namespace {

std::string ReadSample() {
  std::ifstream in(NB_SOURCE_DIR "/playlists/tianjin-education.txt", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Bulletin ParseOk(const std::string& text) {
  Bulletin b;
  Status s = ParseBulletin(text, "t.txt", &b);
  EXPECT_TRUE(s.ok()) << s.message();
  return b;
}

std::string ParseError(const std::string& text) {
  Bulletin b;
  Status s = ParseBulletin(text, "t.txt", &b);
  EXPECT_FALSE(s.ok());
  return s.message();
}

std::u32string U32(const std::string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

// The titles and dates as the source shows them.
const std::vector<std::pair<std::string, std::string>> kSampleItems = {
    {"市国资委市教委联合举办“国资国企科技创新、产业创新推动会”", "2025-12-01"},
    {"“讲好中国新型政党制度故事•党员干部讲”分享交流会举办", "2025-12-01"},
    {"第二批“智津学堂”夜校工作正式启动", "2025-12-01"},
    {"全国密码技术竞赛决赛在津举行", "2025-12-01"},
    {"南开大学与牛津大学签署“奖学金框架协议”", "2025-12-01"},
    {"2025年度茅以升科学技术奖学生奖项评审会暨第十七届高校学生工作论坛在津举行", "2025-12-01"},
    {"天津职业技术师范大学“三讲三联动”点燃中华民族共同体意识教育火种", "2025-12-01"},
    {"市教育两委召开机关和直属单位学习贯彻党的二十届四中全会精神宣讲报告会", "2025-11-28"},
    {"我市积极推动人工智能赋能教育教学变革创新", "2025-11-28"},
    {"天津工业大学—莒南县校地才企融合发展大会举行", "2025-11-28"},
    {"天津市高校“强国行”团队服务乡村全面振兴活动启动", "2025-11-28"},
    {"我市“十四五”期间教育数字化水平实现跨越式发展", "2025-11-28"},
    {"天津医科大学为“健康中国”注入蓬勃动能", "2025-11-28"},
    {"天津工业大学成立成果转化一站式服务平台", "2025-11-28"},
    {"天津市教师队伍管理者研修班举办", "2025-11-27"},
};

TEST(BulletinSample, HasTheFifteenItemsWithTitlesAndDates) {
  Bulletin b = ParseOk(ReadSample());
  EXPECT_EQ(b.source, "天津教育");
  ASSERT_EQ(b.items.size(), kSampleItems.size());
  for (std::size_t i = 0; i < kSampleItems.size(); ++i) {
    EXPECT_EQ(b.items[i].title, kSampleItems[i].first) << i;
    EXPECT_EQ(b.items[i].date, kSampleItems[i].second) << i;
  }
}

TEST(BulletinSample, BodiesLoseTheirEndMarkerAndTheLastOneIsComplete) {
  Bulletin b = ParseOk(ReadSample());
  for (const auto& item : b.items) {
    EXPECT_FALSE(item.body.empty()) << item.title;
    EXPECT_NE(item.body.back(), '-') << item.title;
    EXPECT_EQ(item.body.find("津公网安备"), std::string::npos) << item.title;
  }
  EXPECT_EQ(b.items[0].body.rfind("市国资委与市教委日前联合举办", 0), 0u);
  const std::string& last = b.items.back().body;
  EXPECT_TRUE(last.ends_with("为服务教育强国建设贡献天津力量。")) << last;
}

TEST(BulletinSample, FooterIsReportedAsSkipped) {
  Bulletin b = ParseOk(ReadSample());
  ASSERT_EQ(b.skipped.size(), 1u);
  EXPECT_EQ(b.skipped[0].line, 65);
  EXPECT_EQ(b.skipped[0].text, "津公网安备 12010402001281号");
}

TEST(BulletinSample, IdsAreStableUniqueAndReadable) {
  Bulletin b1 = ParseOk(ReadSample());
  Bulletin b2 = ParseOk(ReadSample());
  playlist::Playlist p1 = MakePlaylist(b1, {}, "a");
  BuildOptions raw;
  raw.normalize = false;
  raw.summary_chars = 40;
  playlist::Playlist p2 = MakePlaylist(b2, raw, "b");
  std::set<std::string> ids;
  // "YYYY-MM-DD-" and 8 lower-case hex digits. (No std::regex: GCC 12 warns
  // about its internals under the asan preset.)
  auto has_id_shape = [](const std::string& id) {
    if (id.size() != 19 || id[10] != '-') return false;
    return std::all_of(id.begin() + 11, id.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  };
  for (std::size_t i = 0; i < p1.items.size(); ++i) {
    EXPECT_EQ(p1.items[i].id, p2.items[i].id);  // options do not change ids
    EXPECT_TRUE(has_id_shape(p1.items[i].id)) << p1.items[i].id;
    EXPECT_EQ(p1.items[i].id.substr(0, 10), p1.items[i].date);
    ids.insert(p1.items[i].id);
  }
  EXPECT_EQ(ids.size(), 15u);
  // Pinned: a change of the id scheme would orphan ids in deployed playlists.
  EXPECT_EQ(p1.items[0].id, "2025-12-01-94cd9222");
  EXPECT_EQ(StableItemId("2025-12-01", "全国密码技术竞赛决赛在津举行"), p1.items[3].id);
}

TEST(BulletinSample, DuplicateDateAndTitleGetDistinctIds) {
  Bulletin b = ParseOk("源\n·\n标题\n2025-01-02\n正文一。 -\n·\n标题\n2025-01-02\n正文二。\n");
  playlist::Playlist p = MakePlaylist(b, {}, "");
  ASSERT_EQ(p.items.size(), 2u);
  EXPECT_EQ(p.items[1].id, p.items[0].id + "-2");
}

TEST(BulletinFormat, AcceptsBomCrlfTrailingSpacesAndBlankLines) {
  std::string sample = ReadSample();
  std::string messy = "\xEF\xBB\xBF\r\n\r\n";
  std::istringstream in(sample);
  for (std::string line; std::getline(in, line);) messy += line + "  \t\r\n\r\n";
  Bulletin clean = ParseOk(sample);
  Bulletin b = ParseOk(messy);
  ASSERT_EQ(b.items.size(), clean.items.size());
  EXPECT_EQ(b.source, "天津教育");
  for (std::size_t i = 0; i < b.items.size(); ++i) {
    EXPECT_EQ(b.items[i].title, clean.items[i].title);
    EXPECT_EQ(b.items[i].date, clean.items[i].date);
    EXPECT_EQ(b.items[i].body, clean.items[i].body);
  }
}

TEST(BulletinFormat, DashLineSeparatesAndMultiParagraphBodiesKeepParagraphs) {
  Bulletin b =
      ParseOk("源\n-\n·\n甲\n2024-02-29\n第一段。\n\n第二段。\n-\n·\n乙\n2024-03-01\n末段。\n");
  ASSERT_EQ(b.items.size(), 2u);
  EXPECT_EQ(b.items[0].body, "第一段。\n第二段。");
  EXPECT_EQ(b.items[1].body, "末段。");
  EXPECT_TRUE(b.skipped.empty());
}

TEST(BulletinFormat, LinesBetweenATerminatedBodyAndTheNextSeparatorAreSkipped) {
  Bulletin b =
      ParseOk("源\n·\n甲\n2024-02-29\n正文。 -\n广告\n·\n乙\n2024-03-01\n正文。 -\n页脚\n");
  ASSERT_EQ(b.items.size(), 2u);
  ASSERT_EQ(b.skipped.size(), 2u);
  EXPECT_EQ(b.skipped[0].line, 6);
  EXPECT_EQ(b.skipped[0].text, "广告");
  EXPECT_EQ(b.skipped[1].text, "页脚");
}

TEST(BulletinErrors, InvalidUtf8NamesLineAndByteOffset) {
  std::string text = "源\n·\n标题\n2025-12-01\n正文\xFF正文\n";
  // "源\n·\n标题\n2025-12-01\n正文" is 3+1+2+1+6+1+10+1+6 = 31 bytes.
  EXPECT_EQ(
      ParseError(text),
      "t.txt:5: invalid UTF-8 at byte offset 31 (byte 0xFF); save the bulletin as UTF-8 text");
  EXPECT_NE(ParseError("源\n\xE5\xA4\n").find("t.txt:2: invalid UTF-8 at byte offset 4"),
            std::string::npos);
}

TEST(BulletinErrors, ItemWithoutDate) {
  std::string m = ParseError("源\n·\n标题\n正文没有日期。\n");
  EXPECT_NE(m.find("t.txt:4: item \"标题\" (line 3) has no date"), std::string::npos) << m;
  EXPECT_NE(m.find("YYYY-MM-DD"), std::string::npos) << m;
  m = ParseError("源\n·\n只有标题\n");
  EXPECT_NE(m.find("t.txt:3: item \"只有标题\" has no date"), std::string::npos) << m;
}

TEST(BulletinErrors, ImpossibleDates) {
  std::string m = ParseError("源\n·\n标题\n2025-13-40\n正文。\n");
  EXPECT_EQ(m, "t.txt:4: impossible date 2025-13-40 for item \"标题\": there is no month 13");
  m = ParseError("源\n·\n标题\n2025-02-29\n正文。\n");
  EXPECT_EQ(m,
            "t.txt:4: impossible date 2025-02-29 for item \"标题\": day 29 does not exist in "
            "2025-02");
  m = ParseError("源\n·\n标题\n2025-2-3\n正文。\n");
  EXPECT_NE(m.find("t.txt:4: impossible date 2025-2-3"), std::string::npos) << m;
}

TEST(BulletinErrors, ItemWithoutTitle) {
  std::string m = ParseError("源\n·\n甲\n2025-01-01\n正文。 -\n·\n2025-01-02\n正文。\n");
  EXPECT_NE(m.find("t.txt:7: item without a title"), std::string::npos) << m;
}

// The sample with the "·" line before its second item removed (#21): that
// item's title, date and body must not vanish as "skipped" lines.
TEST(BulletinErrors, ItemWithoutItsSeparatorLineIsAnErrorAtItsTitle) {
  std::string text = ReadSample();
  std::size_t second = text.find("\n\u00b7\n", text.find("\n\u00b7\n") + 1);
  ASSERT_NE(second, std::string::npos);
  text.erase(second, 3);  // "\n·" of line 7: the title is now line 7
  std::string m = ParseError(text);
  EXPECT_EQ(m,
            "t.txt:7: the lines from here look like an item (the title \"" + kSampleItems[1].first +
                "\", the date 2025-12-01 and its text), but no line \"\u00b7\" comes before them, "
                "so the item would be left out: add a line with only \"\u00b7\" above line 7");
  // The same after an item whose body ran to a blank line at the end.
  m = ParseError("源\n·\n甲\n2025-01-01\n正文。\n\n乙\n\n2025-01-02\n正文。\n");
  EXPECT_NE(m.find("t.txt:7: the lines from here look like an item"), std::string::npos) << m;
  // Lines outside items that are not a title, a date and a body stay skipped.
  Bulletin b = ParseOk(
      "源\n·\n甲\n2025-01-01\n正文。 -\n广告\n2025-01-01\n·\n乙\n2025-01-02\n"
      "正文。 -\n页脚\n");
  EXPECT_EQ(b.skipped.size(), 3u);
}

TEST(BulletinErrors, EmptyAndItemlessFiles) {
  EXPECT_NE(ParseError("").find("the bulletin is empty"), std::string::npos);
  EXPECT_NE(ParseError("\xEF\xBB\xBF\n  \n").find("the bulletin is empty"), std::string::npos);
  EXPECT_NE(ParseError("天津教育\n-\n·\n").find("t.txt:1: no items found"), std::string::npos);
}

TEST(Normalize, ConvertsAsciiPunctuationNextToChinese) {
  EXPECT_EQ(NormalizeTypography("日前,英国牛津大学代表团访问南开大学"),
            "日前，英国牛津大学代表团访问南开大学");
  EXPECT_EQ(NormalizeTypography("成果;同时,在"), "成果；同时，在");
  EXPECT_EQ(NormalizeTypography("举手:“自动喂食”"), "举手：“自动喂食”");
  EXPECT_EQ(NormalizeTypography("怎么样?”"), "怎么样？”");
  EXPECT_EQ(NormalizeTypography("太好了!"), "太好了！");
  EXPECT_EQ(NormalizeTypography("协议”,5年内"), "协议”，5年内");        // CJK on one side
  EXPECT_EQ(NormalizeTypography("增长10.5%,其中"), "增长10.5%，其中");  // only the comma
  EXPECT_EQ(NormalizeTypography("课中,DeepSeek与"), "课中，DeepSeek与");
}

TEST(Normalize, ConvertsParenthesesAsPairs) {
  EXPECT_EQ(NormalizeTypography("项目(研究型学位)到"), "项目（研究型学位）到");
  EXPECT_EQ(NormalizeTypography("四年(3)班"), "四年（3）班");
  EXPECT_EQ(NormalizeTypography("“人工智能”(AI)成为"), "“人工智能”（AI）成为");
  EXPECT_EQ(NormalizeTypography("DeepSeek(深度求索)"), "DeepSeek（深度求索）");
  EXPECT_EQ(NormalizeTypography("8省(区、市)120余所"), "8省（区、市）120余所");
  // Attached to a Latin word with Latin content: a formula, left alone as a pair.
  EXPECT_EQ(NormalizeTypography("函数f(x)的值"), "函数f(x)的值");
  EXPECT_EQ(NormalizeTypography("学校(school (K-12))里"), "学校（school (K-12)）里");
}

TEST(Normalize, LeavesLatinAndNumbersAlone) {
  for (const char* s : {"10.5%", "1+X+Y", "DeepSeek", "2025-12-01", "Nature", "1,000", "07:30",
                        "Hello, world! (really?) a:b; c", "共1,000人", "时间07:30-18:00"}) {
    EXPECT_EQ(NormalizeTypography(s), s);
  }
  EXPECT_EQ(NormalizeTypography("人工智能“1+X+Y”系列"), "人工智能“1+X+Y”系列");
  EXPECT_EQ(NormalizeTypography("以第一作者身份在Nature发文"), "以第一作者身份在Nature发文");
}

TEST(Normalize, DropsAsciiSpacesBesideFullWidthMarks) {
  // The space plus the bracket's own blank half left a hole of 1.5 em.
  EXPECT_EQ(NormalizeTypography("本报讯 (记者赵晖)"), "本报讯（记者赵晖）");
  EXPECT_EQ(NormalizeTypography("科研人才发出 “邀请函”。"), "科研人才发出“邀请函”。");
  EXPECT_EQ(NormalizeTypography("“特区式” 培养"), "“特区式”培养");
  EXPECT_EQ(NormalizeTypography("好 。 然后 ， 再"), "好。然后，再");
  EXPECT_EQ(NormalizeTypography("DeepSeek (深度求索)"), "DeepSeek（深度求索）");
  EXPECT_EQ(NormalizeTypography("《通知》 2025"), "《通知》2025");
}

TEST(Normalize, DropsAsciiSpacesBetweenCjkCharacters) {
  EXPECT_EQ(NormalizeTypography("成果转化桥梁 构建决策支撑"), "成果转化桥梁构建决策支撑");
  EXPECT_EQ(NormalizeTypography("瞄准未来  温度"), "瞄准未来温度");  // a run of spaces
}

TEST(Normalize, SpaceBetweenLatinAndChineseGivesWayToAutospace) {
  // Both directions: the text engine's autospace adds 1/8 em between Han and
  // a Latin letter or digit, so the ASCII space (about 1/4 em more) goes.
  EXPECT_EQ(NormalizeTypography("使用 DeepSeek 开展教学"), "使用DeepSeek开展教学");
  EXPECT_EQ(NormalizeTypography("AI 育西岸"), "AI育西岸");
  EXPECT_EQ(NormalizeTypography("健康中国 2030 推动"), "健康中国2030推动");
  EXPECT_EQ(NormalizeTypography("增长 10.5% 的"), "增长10.5%的");
  // Where autospace adds nothing, the space stays: next to # & + or an
  // ASCII mark, and between Latin words.
  EXPECT_EQ(NormalizeTypography("学习 C++ 课程"), "学习C++ 课程");
  EXPECT_EQ(NormalizeTypography("话题 #教育"), "话题 #教育");
  EXPECT_EQ(NormalizeTypography("Deep Seek 与 Hello world"), "Deep Seek与Hello world");
  EXPECT_EQ(NormalizeTypography("a - b"), "a - b");
  EXPECT_EQ(NormalizeTypography(" 前后 "), " 前后 ");  // the edges are trimmed elsewhere
}

TEST(Normalize, NoNormalizeKeepsSpaces) {
  Bulletin b = ParseOk("源\n·\n标题 (一)\n2025-01-02\n本报讯 (记者) 使用 AI 开展。\n");
  BuildOptions raw;
  raw.normalize = false;
  EXPECT_EQ(MakePlaylist(b, raw, "").items[0].body, "本报讯 (记者) 使用 AI 开展。");
  EXPECT_EQ(MakePlaylist(b, {}, "").items[0].body, "本报讯（记者）使用AI开展。");
  EXPECT_EQ(MakePlaylist(b, {}, "").items[0].title, "标题（一）");
}

TEST(Normalize, SampleKeepsNoAsciiPunctuationInChineseText) {
  Bulletin b = ParseOk(ReadSample());
  std::size_t commas = 0;
  for (const auto& item : b.items) {
    for (char c : item.body) commas += c == ',';
    std::string n = NormalizeTypography(item.body);
    EXPECT_EQ(n.find_first_of(",;:?!()"), std::string::npos) << n;
  }
  EXPECT_EQ(commas, 639u);  // the issue counts 639 ASCII commas
}

// --- Summaries ---

bool IsSentenceEnd(char32_t c) {
  return c == U'。' || c == U'！' || c == U'？' || c == U'!' || c == U'?';
}
bool IsCloser(char32_t c) {
  return c == U'”' || c == U'’' || c == U'》' || c == U'）' || c == U'」';
}
bool IsAsciiAlnum(char32_t c) { return c < 128 && std::isalnum(static_cast<int>(c)); }

void ExpectBalanced(const std::u32string& s) {
  int quotes = 0, titles = 0;
  for (char32_t c : s) {
    quotes += c == U'“' ? 1 : c == U'”' ? -1 : 0;
    titles += c == U'《' ? 1 : c == U'》' ? -1 : 0;
  }
  EXPECT_EQ(quotes, 0);
  EXPECT_EQ(titles, 0);
}

// The rules of the issue, checked on one body and its summary.
void ExpectSummaryRules(const std::string& body_utf8, const std::string& summary_utf8,
                        std::size_t budget) {
  SCOPED_TRACE(summary_utf8);
  std::u32string body = U32(body_utf8), s = U32(summary_utf8);
  ASSERT_FALSE(s.empty());
  EXPECT_LE(s.size(), budget);
  ExpectBalanced(s);
  const std::u32string ellipsis = U"……";
  if (s.ends_with(ellipsis)) {
    std::u32string head = s.substr(0, s.size() - 2);
    ASSERT_EQ(body.substr(0, head.size()), head);
    char32_t next = body[head.size()];
    bool at_clause = next == U'，' || next == U'；' || next == U'：' || next == U'、';
    // The first sentence really was too long.
    std::size_t end = 0;
    while (end < body.size() && !IsSentenceEnd(body[end])) ++end;
    EXPECT_GT(end + 1, budget);
    // Never inside a Latin word or number.
    EXPECT_FALSE(IsAsciiAlnum(head.back()) && IsAsciiAlnum(next)) << "cut inside a word";
    // The cut is at the last clause mark that fits with nothing open, unless
    // that would leave less than a third of the budget (then a word boundary).
    std::size_t last_mark = 0;
    for (std::size_t i = 1; i + 2 <= budget && i < end; ++i) {
      bool mark = body[i] == U'，' || body[i] == U'；' || body[i] == U'：' || body[i] == U'、';
      int q = 0;
      for (std::size_t k = 0; k < i; ++k) q += body[k] == U'“' ? 1 : body[k] == U'”' ? -1 : 0;
      if (mark && q == 0) last_mark = i;
    }
    if (last_mark >= std::max<std::size_t>(1, budget / 3)) {
      EXPECT_TRUE(at_clause) << "not cut at a clause mark";
      EXPECT_EQ(head.size(), last_mark) << "not the last clause mark that fits";
    } else {
      EXPECT_FALSE(at_clause && head.size() == last_mark) << "a too-short head";
    }
  } else {
    ASSERT_EQ(body.substr(0, s.size()), s) << "whole sentences are a prefix of the body";
    std::size_t k = s.size();
    while (k > 0 && IsCloser(s[k - 1])) --k;
    ASSERT_GT(k, 0u);
    EXPECT_TRUE(IsSentenceEnd(s[k - 1])) << "ends inside a sentence";
    // Never inside a Latin word or number.
    if (s.size() < body.size()) {
      EXPECT_FALSE(IsAsciiAlnum(s.back()) && IsAsciiAlnum(body[s.size()]));
      // The next sentence would not have fit.
      std::size_t next = s.size();
      while (next < body.size() && !IsSentenceEnd(body[next])) ++next;
      while (next + 1 < body.size() && IsCloser(body[next + 1])) ++next;
      EXPECT_GT(next + 1, budget) << "another whole sentence fits";
    }
  }
}

TEST(Summary, RulesHoldOnAllFifteenItems) {
  Bulletin b = ParseOk(ReadSample());
  for (int budget : {100, 60, 40}) {
    BuildOptions options;
    options.summary_chars = budget;
    playlist::Playlist p = MakePlaylist(b, options, "");
    ASSERT_EQ(p.items.size(), 15u);
    for (const auto& item : p.items) {
      ExpectSummaryRules(item.body, item.summary, static_cast<std::size_t>(budget));
    }
  }
}

TEST(Summary, WholeSentencesWithinBudget) {
  EXPECT_EQ(Summarize("第一句。第二句！第三句？", 100), "第一句。第二句！第三句？");
  EXPECT_EQ(Summarize("第一句话。第二句话。第三句话。", 10), "第一句话。第二句话。");
  EXPECT_EQ(Summarize("他说：“好。”然后走了。第二句话比较长一些。", 12), "他说：“好。”然后走了。");
}

TEST(Summary, LongFirstSentenceIsCutAtTheLastClauseMark) {
  std::string body = "一二三四五，六七八九十，一二三四五六七八九十一二三四五六七八九十。后面。";
  EXPECT_EQ(Summarize(body, 14), "一二三四五，六七八九十……");
  EXPECT_EQ(Summarize(body, 12), "一二三四五……");
  EXPECT_EQ(Summarize("甲乙、丙丁；戊己：庚辛壬癸子丑寅卯辰巳午未申酉戌亥。", 12),
            "甲乙、丙丁；戊己……");
}

TEST(Summary, NeverLeavesAQuoteOrTitleOpen) {
  // The last clause mark within budget is inside “…”: cut before the quote opens.
  std::string body = "会议指出，要落实“统筹推进，教育科技人才体制机制一体改革”等重大部署和要求。";
  std::string s = Summarize(body, 12);
  EXPECT_EQ(s, "会议指出……");
  body = "会议学习了《关于加快建设，教育强国的意见，以及其他若干文件》等文件精神要求。";
  // No clause mark outside 《》 fits: whatever the cut, the title mark is closed.
  s = Summarize(body, 20);
  EXPECT_TRUE(s.ends_with("……")) << s;
  EXPECT_LE(U32(s).size(), 20u) << s;
  ExpectBalanced(U32(s));
  // A sentence end inside a quote is not a place to stop.
  s = Summarize("他说：“第一句。第二句很长很长很长。”之后。", 10);
  ExpectBalanced(U32(s));
}

TEST(Summary, NeverCutsALatinWordOrNumber) {
  // No clause mark fits: the cut falls at a line-break opportunity.
  std::string s =
      Summarize("全国率先实现DeepSeekCoder与12345678模型的课堂应用以及更多更多更多内容。", 12);
  std::u32string u = U32(s);
  ASSERT_TRUE(u.ends_with(U"……"));
  std::u32string head = u.substr(0, u.size() - 2);
  EXPECT_LE(u.size(), 12u);
  for (const char* word : {"DeepSeekCoder", "12345678"}) {
    std::u32string w = U32(word);
    // Either the whole word is in the head or none of it.
    bool whole = head.find(w) != std::u32string::npos;
    bool part = false;
    for (std::size_t n = 1; n < w.size(); ++n) part = part || head.ends_with(w.substr(0, n));
    EXPECT_TRUE(whole || !part) << s;
  }
  // Digits around a comma are a number, not a clause.
  EXPECT_EQ(Summarize("共有12,345名学生参加，活动持续三天三夜直到周末才结束而且大家都很满意。", 16),
            "共有12,345名学生参加……");
}

TEST(Summary, ShortBodyIsKeptWhole) {
  EXPECT_EQ(Summarize("  短讯  ", 100), "短讯");
  EXPECT_EQ(Summarize("第一段。\n第二段。", 100), "第一段。第二段。");
  EXPECT_EQ(Summarize("First.\nSecond.", 100), "First. Second.");
}

}  // namespace
}  // namespace nb::bulletin
