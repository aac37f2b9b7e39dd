// `noticeboard layout`: plain lines, JSON per paragraph, and usage errors.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Result {
  int exit_code = -1;
  std::string out;
};

Result RunLayout(const std::string& args) {
  Result r;
  std::string cmd = std::string(NB_BINARY) + " layout " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(LayoutCliTest, PrintsLinesThatAddUpToTheText) {
  const std::string text = "市国资委市教委联合举办“国资国企科技创新、产业创新推动会”";
  Result r = RunLayout("--text '" + text + "' --width 1200 --size 72 --bold");
  ASSERT_EQ(r.exit_code, 0);
  auto lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0] + lines[1], text);
}

TEST(LayoutCliTest, JsonPerParagraphOfATextFile) {
  std::string path = ::testing::TempDir() + "/layout_cli_paragraphs.txt";
  {
    std::ofstream f(path);
    f << "近5年，监管企业研发投入额年均增长10.5%。\n\n使用DeepSeek开展教学研究，共15条。\n";
  }
  Result r = RunLayout("--text-file " + path + " --width 480 --size 48 --json");
  ASSERT_EQ(r.exit_code, 0);
  auto rows = SplitLines(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;
  const char* paragraphs[] = {"近5年，监管企业研发投入额年均增长10.5%。",
                              "使用DeepSeek开展教学研究，共15条。"};
  for (int i = 0; i < 2; ++i) {
    auto j = nlohmann::json::parse(rows[static_cast<std::size_t>(i)]);
    EXPECT_EQ(j["size"], 48);
    std::string joined;
    ASSERT_GE(j["lines"].size(), 2u);
    for (const auto& line : j["lines"]) {
      joined += line["text"].get<std::string>();
      EXPECT_EQ(line["x"].size(), line["glyphs"].get<std::size_t>());
      EXPECT_LE(line["width"].get<double>(), 480.5);
      EXPECT_EQ(line["x"][0], 0);
    }
    EXPECT_EQ(joined, paragraphs[i]);
  }
}

TEST(LayoutCliTest, MaxLinesCutsWithEllipsis) {
  Result r = RunLayout(
      "--text "
      "'市国资委与市教委日前联合举办推动会，来自市发展改革委、市科技局、市工业和信息化局等部门，"
      "驻津央所央院参会。' --width 480 --size 48 --max-lines 2");
  ASSERT_EQ(r.exit_code, 0);
  auto lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_NE(lines[1].find("……"), std::string::npos);
}

TEST(LayoutCliTest, UsageErrors) {
  EXPECT_EQ(RunLayout("--width 100 --size 10").exit_code, 2);  // no text
  EXPECT_EQ(RunLayout("--text x --size 10").exit_code, 2);     // no width
  EXPECT_EQ(RunLayout("--text x --text-file /etc/hostname --width 10 --size 10").exit_code, 2);
}

}  // namespace
