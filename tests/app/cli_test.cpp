// Runs the real `noticeboard` binary (NB_BINARY) as a user would.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

#include "run_binary.h"
#include "test_dir.h"


namespace {

namespace fs = std::filesystem;

using nb::testing_support::RunResult;
const auto& ReadAll = nb::testing_support::ReadWholeFile;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = nb::testing_support::FreshTestDir("nb-cli"); }
  void TearDown() override { fs::remove_all(dir_); }

  // `env` comes first (the first entry wins); an inherited JOURNAL_STREAM is
  // dropped, so that messages read as on a terminal unless a test sets it.
  RunResult Run(std::vector<std::string> args, std::vector<std::string> env = {}) {
    return nb::testing_support::RunBinary(std::move(args), dir_, {std::move(env)});
  }

  fs::path Write(const std::string& name, const std::string& content) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  std::vector<std::string> Files() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  const std::string sample_ = NB_SOURCE_DIR "/playlists/tianjin-education.txt";
  fs::path dir_;
};

TEST_F(CliTest, BuildThenCheckRoundTrip) {
  fs::path out = dir_ / "p.json";
  RunResult b = Run({"build", sample_, "-o", out});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.out, "");
  EXPECT_NE(b.err.find("built 15 items from tianjin-education.txt → " + out.string()),
            std::string::npos)
      << b.err;
  EXPECT_NE(b.err.find("tianjin-education.txt:65: skipped, not part of any item: 津公网安备 "
                       "12010402001281号"),
            std::string::npos)
      << b.err;
  RunResult c = Run({"check", out});
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(c.out, "ok: 15 items, cycle 3 min 45 s\n");
  EXPECT_EQ(Files(), std::vector<std::string>{"p.json"});  // no temp file left behind

  auto j = nlohmann::json::parse(ReadAll(out));
  EXPECT_EQ(j["title"], "天津教育");
  EXPECT_EQ(j["defaults"]["duration_s"], 15);
  EXPECT_EQ(j["defaults"]["transition"]["kind"], "crossfade");
  EXPECT_EQ(j["defaults"]["transition"]["ms"], 600);
  EXPECT_EQ(j["items"].size(), 15u);
}

TEST_F(CliTest, BuildWithoutOutputPrintsJsonAndHonoursOptions) {
  RunResult normal = Run({"build", sample_});
  ASSERT_EQ(normal.exit_code, 0) << normal.err;
  RunResult raw = Run({"build", sample_, "--no-normalize", "--summary-chars", "40"});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  auto n = nlohmann::json::parse(normal.out), r = nlohmann::json::parse(raw.out);
  std::string nb = n["items"][2]["body"], rb = r["items"][2]["body"];
  EXPECT_EQ(nb.rfind("为推动学习型社会建设，市教委", 0), 0u) << nb;
  EXPECT_EQ(rb.rfind("为推动学习型社会建设,市教委", 0), 0u) << rb;
  for (std::size_t i = 0; i < 15; ++i) {
    EXPECT_EQ(n["items"][i]["id"], r["items"][i]["id"]);
    std::string s = r["items"][i]["summary"];
    std::size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    EXPECT_LE(chars, 40u) << s;
  }
}

TEST_F(CliTest, CommittedPlaylistMatchesAFreshBuild) {
  RunResult b = Run({"build", sample_});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto fresh = nlohmann::json::parse(b.out);
  auto committed =
      nlohmann::json::parse(ReadAll(NB_SOURCE_DIR "/playlists/tianjin-education.json"));
  fresh.erase("generated_at");
  committed.erase("generated_at");
  EXPECT_EQ(fresh, committed)
      << "playlists/tianjin-education.json is stale: rebuild it with\n  noticeboard build "
         "playlists/tianjin-education.txt -o playlists/tianjin-education.json";
}

TEST_F(CliTest, FailedBuildLeavesTheExistingOutputUntouched) {
  fs::path out = Write("p.json", "{\"old\": true}\n");
  fs::path bad = Write("bad.txt", "天津教育\n·\n标题\n2025-13-40\n正文。\n");
  RunResult b = Run({"build", bad, "-o", out});
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_NE(b.err.find("bad.txt:4: impossible date 2025-13-40"), std::string::npos) << b.err;
  EXPECT_NE(b.err.find(out.string() + " is unchanged"), std::string::npos) << b.err;
  EXPECT_EQ(ReadAll(out), "{\"old\": true}\n");
  EXPECT_EQ(Files(), (std::vector<std::string>{"bad.txt", "p.json"}));
}

// Issue #21: the sample without the "·" line before its second item once
// built 14 items and exited 0 ("4 lines skipped").
TEST_F(CliTest, BuildRefusesABulletinMissingASeparatorLine) {
  std::string text = ReadAll(sample_);
  text.erase(text.find("\n\u00b7\n", text.find("\n\u00b7\n") + 1), 3);
  fs::path in = Write("b.txt", text);
  RunResult b = Run({"build", in});
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_EQ(b.out, "");
  EXPECT_NE(b.err.find(in.string() + ":7: the lines from here look like an item"),
            std::string::npos)
      << b.err;
}

TEST_F(CliTest, BadBulletinsGiveTheirMessages) {
  struct Case {
    std::string text, message;
  };
  for (const Case& c : std::vector<Case>{
           {"源\n·\n标题\n正文\xFF\n", "b.txt:4: invalid UTF-8 at byte offset 20"},
           {"源\n·\n标题\n正文。\n", "b.txt:4: item \"标题\" (line 3) has no date"},
           {"源\n·\n2025-01-01\n正文。\n", "b.txt:3: item without a title"},
           {"源\n·\n标题\n2025-02-30\n正文。\n", "b.txt:4: impossible date 2025-02-30"},
       }) {
    fs::path in = Write("b.txt", c.text);
    RunResult b = Run({"build", in});
    EXPECT_EQ(b.exit_code, 1);
    EXPECT_EQ(b.out, "");
    EXPECT_NE(b.err.find(c.message), std::string::npos) << b.err;
  }
  RunResult missing = Run({"build", (dir_ / "nope.txt").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.txt: cannot open"), std::string::npos) << missing.err;
}

TEST_F(CliTest, CheckPrintsEveryErrorOnItsOwnLine) {
  fs::path p = Write("p.json", R"({"version": 1, "title": "t", "items": [
    {"id": "a", "title": "", "duration_s": 0},
    {"id": "a", "title": "x", "schedule": {"hours": "25:00-26:00"}, "colour": 1}]})");
  RunResult c = Run({"check", p});
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_EQ(c.out, "");
  std::vector<std::string> lines;
  std::istringstream in(c.err);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 5u) << c.err;
  const std::string prefix = p.string() + ": ";
  EXPECT_NE(lines[0].find(prefix + "/items/0/title: empty title"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(prefix + "/items/0/duration_s:"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find(prefix + "/items/1/colour: unknown field"), std::string::npos);
  EXPECT_NE(lines[3].find(prefix + "/items/1/schedule/hours: bad hours"), std::string::npos);
  EXPECT_NE(lines[4].find(prefix + "/items/1/id: duplicate id"), std::string::npos) << lines[4];

  fs::path s = Write("s.json", "{\n  \"version\": 1,\n}\n");
  c = Run({"check", s});
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_NE(c.err.find(s.string() +
                       ":2:15: JSON syntax error: a comma after the last entry: JSON allows no , "
                       "right before } (remove this comma)"),
            std::string::npos)
      << c.err;

  c = Run({"check", (dir_ / "missing.json").string()});
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_NE(c.err.find("missing.json: cannot open"), std::string::npos) << c.err;
}

// A bulletin given to `check` and a playlist given to `build`: the answer
// names the other command, not a syntax error.
TEST_F(CliTest, CheckOnABulletinAndBuildOnAPlaylistNameTheRightCommand) {
  RunResult c = Run({"check", sample_});
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_EQ(c.err.find("JSON syntax error"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find(sample_ +
                       ": this looks like a bulletin (plain text), not a playlist (JSON): make a "
                       "playlist of it with \"noticeboard build " +
                       sample_ + " -o playlist.json\", then check that"),
            std::string::npos)
      << c.err;
  const std::string playlist = NB_SOURCE_DIR "/playlists/tianjin-education.json";
  fs::path out = Write("p.json", "{\"old\": true}\n");
  RunResult b = Run({"build", playlist, "-o", out});
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_NE(b.err.find(playlist +
                       ": this is already a playlist (JSON), not a bulletin: check it "
                       "with \"noticeboard check " +
                       playlist + "\"; " + out.string() + " is unchanged"),
            std::string::npos)
      << b.err;
  EXPECT_EQ(ReadAll(out), "{\"old\": true}\n");
  // A full-width comma in a playlist is named in words, at its place.
  fs::path p = Write("fw.json", "{\"version\": 1，\"title\": \"t\", \"items\": []}\n");
  c = Run({"check", p});
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_NE(c.err.find(p.string() +
                       ":1:14: JSON syntax error: a full-width comma ， (typed with a Chinese "
                       "input method) where JSON needs ,"),
            std::string::npos)
      << c.err;
}

TEST_F(CliTest, UsageErrorsExitWith2AndHelpWith0) {
  EXPECT_EQ(Run({}).exit_code, 2);
  EXPECT_EQ(Run({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(Run({"build"}).exit_code, 2);
  EXPECT_EQ(Run({"check"}).exit_code, 2);
  EXPECT_EQ(Run({"build", sample_, "--summary-chars", "3"}).exit_code, 2);
  EXPECT_EQ(Run({"build", sample_, "--bogus"}).exit_code, 2);
  for (std::string sub : {"build", "check"}) {
    RunResult h = Run({sub, "--help"});
    EXPECT_EQ(h.exit_code, 0) << sub;
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << h.out;
  }
  RunResult b = Run({"build", "--help"});
  for (const char* opt : {"--output", "--summary-chars", "--no-normalize", "BULLETIN"})
    EXPECT_NE(b.out.find(opt), std::string::npos) << opt;
  EXPECT_EQ(Run({"--help"}).exit_code, 0);
}

TEST_F(CliTest, UnknownCommandsSayWhatWasMeant) {
  RunResult typo = Run({"plya", "playlist.json"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.err, "noticeboard: unknown command \"plya\"; did you mean \"play\"?\n");

  RunResult far = Run({"status"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_NE(far.err.find("unknown command \"status\"; the commands are: build check check-config layout "
                         "render play push alert receive console passwd version"),
            std::string::npos)
      << far.err;
  EXPECT_EQ(far.err.find("A subcommand is required"), std::string::npos) << far.err;

  // A mistake inside a command is still CLI11's own message.
  RunResult option = Run({"play", "--bogus"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_EQ(option.err.find("unknown command"), std::string::npos) << option.err;
}

TEST_F(CliTest, VersionCommandAndDashVPrintWhatVersionDoes) {
  RunResult flag = Run({"--version"});
  ASSERT_EQ(flag.exit_code, 0) << flag.err;
  EXPECT_EQ(flag.out.rfind("noticeboard ", 0), 0u) << flag.out;
  for (std::string arg : {"version", "-V"}) {
    RunResult r = Run({arg});
    EXPECT_EQ(r.exit_code, 0) << arg << ": " << r.err;
    EXPECT_EQ(r.out, flag.out) << arg;
  }
}

// Under systemd (JOURNAL_STREAM set) a command's errors carry journald's
// error priority, so `journalctl -p warning` shows why a screen is black;
// on a terminal they read as before.
TEST_F(CliTest, ErrorsCarryTheErrorPriorityUnderSystemd) {
  const std::string playlist = NB_SOURCE_DIR "/playlists/tianjin-education.json";
  fs::path config = Write("config.json", "{\"state_dir\": 5}\n");
  fs::path theme = Write("theme.json", "{\"nonsense\": \n");
  const std::vector<std::vector<std::string>> commands = {
      {"play", playlist, "--config", config.string()},
      {"play", playlist, "--theme", theme.string()},
      {"play", (dir_ / "missing.json").string()},
      {"render", playlist, "--out", (dir_ / "slides").string(), "--size", "12"},
      {"play", playlist, "--rotate", "45"},  // CLI11's usage error
  };
  for (const auto& args : commands) {
    RunResult journal = Run(args, {"JOURNAL_STREAM=8:12345", "SDL_VIDEODRIVER=dummy"});
    EXPECT_NE(journal.exit_code, 0) << args[1];
    ASSERT_FALSE(journal.err.empty()) << args[1];
    EXPECT_EQ(journal.err.rfind("<3>", 0), 0u) << journal.err;
    std::istringstream lines(journal.err);  // every line with a priority
    for (std::string line; std::getline(lines, line);) EXPECT_EQ(line.rfind('<', 0), 0u) << line;

    RunResult terminal = Run(args, {"SDL_VIDEODRIVER=dummy"});
    EXPECT_EQ("<3>" + terminal.err.substr(0, terminal.err.find('\n')),
              journal.err.substr(0, journal.err.find('\n')));
  }
}

// No display: exit 3 (the machine, not the input), at error priority, with
// what to check on a Pi and the guide's section.
TEST_F(CliTest, NoDisplayExitsWith3AndSaysWhatToCheck) {
  RunResult r = Run({"play", NB_SOURCE_DIR "/playlists/tianjin-education.json"},
                    {"SDL_VIDEODRIVER=nonexistent", "JOURNAL_STREAM=8:12345"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("<3>noticeboard play: cannot open the display: "), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("dtoverlay=vc4-kms-v3d"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"No display found\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("LOBBY-GUIDE.md"), std::string::npos) << r.err;
}

// Before a restart, a technician checks the config and what it names.
TEST_F(CliTest, CheckConfigReportsEveryProblemThenSaysWhatTheScreenWillDo) {
  fs::path config = dir_ / "config.json", token = dir_ / "api-token";
  std::ofstream(config) << "{\"state_dir\": \"" << (dir_ / "state").string()
                        << "\", \"api\": {\"enabled\": true, \"listen\": \"0.0.0.0:8080\", "
                        << "\"token_file\": \"" << token.string() << "\", \"password_file\": \""
                        << (dir_ / "pw").string() << "\", \"signing_key\": \""
                        << (dir_ / "nokey").string() << "\"}}";
  RunResult bad = Run({"check-config", config.string()});
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_NE(bad.err.find("/api/token_file"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("/api/signing_key"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("2 problem(s)"), std::string::npos) << bad.err;

  std::ofstream(token) << "0123456789abcdef0123456789abcdef\n";
  std::ofstream(config) << "{\"state_dir\": \"" << (dir_ / "state").string()
                        << "\", \"api\": {\"enabled\": true, \"listen\": \"0.0.0.0:8080\", "
                        << "\"token_file\": \"" << token.string() << "\", \"password_file\": \""
                        << (dir_ / "pw").string() << "\"}}";
  RunResult good = Run({"check-config", config.string()});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("API 0.0.0.0:8080 over HTTPS, web console on"), std::string::npos)
      << good.out;
  EXPECT_NE(good.err.find("no password yet"), std::string::npos) << good.err;
  // A config with a typo is the checker's error, with its pointer.
  std::ofstream(config) << "{\"usb\": {\"enabeld\": true}}";
  RunResult typo = Run({"check-config", config.string()});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_NE(typo.err.find("did you mean \"enabled\""), std::string::npos) << typo.err;
}

// Over SSH, with no display and no driver asked for, SDL would fall back to
// drawing nowhere and play would run with nothing visible: it says so.
TEST_F(CliTest, NoDisplayAtAllIsSaidPlainlyNotPlayedInvisibly) {
  RunResult r = Run({"play", NB_SOURCE_DIR "/playlists/tianjin-education.json",
                     "--exit-after-first-frame"},
                    {"SDL_VIDEODRIVER=", "DISPLAY=", "WAYLAND_DISPLAY=", "SDL_RENDER_DRIVER="});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  // Either SDL finds no driver at all, or it falls back to none visible.
  const bool fell_back = r.err.find("nothing would be visible") != std::string::npos;
  const bool no_driver = r.err.find("cannot open the display") != std::string::npos;
  EXPECT_TRUE(fell_back || no_driver) << r.err;
  if (fell_back) {
    EXPECT_NE(r.err.find("SDL_VIDEODRIVER=dummy"), std::string::npos) << r.err;
  }
}

}  // namespace
