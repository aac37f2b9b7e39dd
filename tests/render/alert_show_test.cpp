// Urgent notices on screen (issue 15): AlertShow's state (which alert, how
// far faded in), Show holding its slides meanwhile, and the frames the
// Presenter draws: the alert's colours over the whole screen but the
// ticker, which carries the alerts' titles.
//
// NB_ALERT_PNGS=<folder> also writes the frames looked at, to check by eye.
#include <gtest/gtest.h>

#include <cstdlib>

#include "render/alert_layout.h"
#include "render/alert_show.h"
#include "playlist/schedule.h"
#include "render_test_support.h"

namespace nb::render {
namespace {

using namespace std::chrono_literals;
using testing::Canvas;

std::shared_ptr<const playlist::Playlist> Make(int n) {
  auto p = std::make_shared<playlist::Playlist>();
  p->title = "天津教育";
  p->default_duration_s = 10;
  p->transition.ms = 600;
  for (int i = 0; i < n; ++i) {
    playlist::Item item;
    item.id = "item-" + std::to_string(i);
    item.title = "标题" + std::to_string(i);
    item.summary = "摘要" + std::to_string(i);
    p->items.push_back(item);
  }
  return p;
}

alert::ActiveAlert Active(const std::string& id, alert::Severity severity, const Clock& clock,
                          std::string title = "今日停课") {
  alert::ActiveAlert a;
  a.alert.id = id;
  a.alert.severity = severity;
  a.alert.title = std::move(title);
  a.alert.text = "受暴雨影响，今日全天停课。请同学们留在家中，注意安全。";
  a.alert.source = "区教育局";
  a.origin = "api";
  a.received = clock.WallNow();
  a.ends = clock.WallNow() + 2h;
  a.ends_monotonic = clock.MonotonicNow() + 2h;
  return a;
}

std::shared_ptr<const alert::AlertSnapshot> Snap(std::uint64_t generation,
                                                 std::vector<alert::ActiveAlert> alerts) {
  auto s = std::make_shared<alert::AlertSnapshot>();
  s->generation = generation;
  s->alerts = std::move(alerts);
  return s;
}

void MaybeWritePng(const Image& image, const std::string& name) {
  const char* dir = std::getenv("NB_ALERT_PNGS");
  if (!dir) return;
  PosixFileSystem fs;
  ASSERT_TRUE(WritePng(fs, std::string(dir) + "/" + name + ".png", image).ok());
}

TEST(AlertShowTest, AWarningFadesInACriticalOneCutsIn) {
  ManualClock clock;
  AlertShow alerts(clock, {.seconds_per_alert = 15, .fade_ms = 400});
  EXPECT_FALSE(alerts.active());
  alerts.Set(Snap(1, {Active("w", alert::Severity::kWarning, clock)}));
  EXPECT_TRUE(alerts.active());
  EXPECT_TRUE(alerts.fading());
  EXPECT_FLOAT_EQ(alerts.mix(), 0.f);
  clock.Advance(200ms);
  EXPECT_TRUE(alerts.Tick());
  EXPECT_NEAR(alerts.mix(), 0.5f, 0.01f);
  clock.Advance(200ms);
  alerts.Tick();
  EXPECT_TRUE(alerts.covering());
  EXPECT_FALSE(alerts.fading());

  AlertShow critical(clock);
  critical.Set(Snap(1, {Active("c", alert::Severity::kCritical, clock)}));
  EXPECT_TRUE(critical.covering()) << "a critical alert shows in the very next frame";
}

TEST(AlertShowTest, ANewcomerGoesOnScreenAtOnceAndSeveralCycle) {
  ManualClock clock;
  AlertShow alerts(clock, {.seconds_per_alert = 15, .fade_ms = 400});
  alerts.Set(Snap(1, {Active("a", alert::Severity::kCritical, clock)}));
  EXPECT_EQ(alerts.TakeShown(), std::vector<std::string>{"a"});
  clock.Advance(5s);
  alerts.Tick();
  // A lesser one arrives: it sorts second, but what just happened shows first.
  alerts.Set(Snap(2, {Active("a", alert::Severity::kCritical, clock),
                      Active("b", alert::Severity::kInfo, clock, "下午有消防演练")}));
  EXPECT_EQ(alerts.current()->alert.id, "b");
  EXPECT_EQ(alerts.position(), 2);
  EXPECT_EQ(alerts.count(), 2);
  EXPECT_EQ(alerts.TakeShown(), std::vector<std::string>{"b"});
  clock.Advance(14999ms);
  alerts.Tick();
  EXPECT_EQ(alerts.current()->alert.id, "b");
  clock.Advance(1ms);
  EXPECT_TRUE(alerts.Tick());
  EXPECT_EQ(alerts.current()->alert.id, "a");
  EXPECT_EQ(alerts.position(), 1);
  EXPECT_EQ(alerts.Titles(), (std::vector<std::string>{"今日停课", "下午有消防演练"}));
  EXPECT_EQ(alerts.HighestSeverity(), alert::Severity::kCritical);
}

TEST(AlertShowTest, ReplacedInPlaceKeepsItsTurnAndItsPlace) {
  ManualClock clock;
  AlertShow alerts(clock, {.seconds_per_alert = 15, .fade_ms = 400});
  alerts.Set(Snap(1, {Active("a", alert::Severity::kCritical, clock),
                      Active("b", alert::Severity::kWarning, clock)}));
  clock.Advance(10s);
  alerts.Tick();
  const std::string on_screen = alerts.current()->alert.id;
  alerts.TakeShown();
  alerts.Set(Snap(2, {Active("a", alert::Severity::kCritical, clock, "今日停课（更新）"),
                      Active("b", alert::Severity::kWarning, clock)}));
  EXPECT_EQ(alerts.current()->alert.id, on_screen);
  EXPECT_TRUE(alerts.TakeShown().empty()) << "an update is not a new arrival";
  clock.Advance(5s);
  EXPECT_TRUE(alerts.Tick()) << "its 15 s turn counted from when it first showed";
  EXPECT_NE(alerts.current()->alert.id, on_screen);
}

TEST(AlertShowTest, WhenTheLastEndsItFadesOutAndTheSlidesComeBack) {
  ManualClock clock;
  auto playlist = Make(3);
  Show show(clock, playlist, {.slide_seconds = 10});
  clock.Advance(4s);
  show.Tick();
  ASSERT_EQ(show.current().index, 0);
  show.SetAlerts(Snap(1, {Active("a", alert::Severity::kCritical, clock)}));
  EXPECT_TRUE(show.alerts().covering());
  // The slide timer stands still under the alert: 30 s pass, no slide change.
  for (int i = 0; i < 30; ++i) {
    clock.Advance(1s);
    show.Tick();
  }
  EXPECT_EQ(show.current().index, 0);
  EXPECT_EQ(show.slide_changes(), 0);
  show.SetAlerts(Snap(2, {}));
  EXPECT_TRUE(show.alerts().fading());
  clock.Advance(400ms);
  show.Tick();
  EXPECT_FALSE(show.alerts().active());
  // The slide had 6 s left when the alert came; the time under it did not count.
  clock.Advance(5900ms);
  show.Tick();
  EXPECT_EQ(show.current().index, 0);
  clock.Advance(200ms);
  show.Tick();
  EXPECT_EQ(show.current().index, 1);
}

TEST(AlertShowTest, ANewPlaylistWaitsForTheAlertToEnd) {
  ManualClock clock;
  Show show(clock, Make(2), {.slide_seconds = 10});
  show.SetAlerts(Snap(1, {Active("a", alert::Severity::kCritical, clock)}));
  auto next = Make(4);
  show.Offer(next);
  clock.Advance(20s);
  show.Tick();
  EXPECT_NE(show.playlist(), next);
  show.SetAlerts(Snap(2, {}));
  clock.Advance(400ms);  // faded out: the slide has its 10 s again
  show.Tick();
  EXPECT_NE(show.playlist(), next);
  clock.Advance(10s);
  show.Tick();
  EXPECT_EQ(show.playlist(), next);
}

TEST(AlertShowTest, DeadlinesComeFromTheFadeAndTheCycle) {
  ManualClock clock;
  Show show(clock, Make(1), {.slide_seconds = 10});
  show.SetAlerts(Snap(1, {Active("a", alert::Severity::kWarning, clock)}));
  EXPECT_EQ(show.NextDeadline(), clock.MonotonicNow()) << "fading: every frame";
  clock.Advance(500ms);
  show.Tick();
  EXPECT_EQ(show.NextDeadline(), TimePoint::max()) << "one alert, no ticker: nothing to do";
  show.SetAlerts(Snap(2, {Active("a", alert::Severity::kWarning, clock),
                          Active("b", alert::Severity::kInfo, clock)}));
  EXPECT_EQ(show.NextDeadline(), clock.MonotonicNow() + 15s);
}

struct Orientation {
  int w, h;
};

class AlertFrameTest : public ::testing::TestWithParam<Orientation> {};

// The frame: the severity's background everywhere but the ticker band, the
// title large and whole; for each severity, in landscape and portrait.
TEST_P(AlertFrameTest, CoversTheScreenInItsSeveritysColours) {
  auto [w, h] = GetParam();
  const Theme& theme = DefaultTheme();
  ManualClock clock;
  Canvas canvas(w, h, theme, clock);
  Show show(clock, Make(2), {.slide_seconds = 100});
  const Image plain = canvas.Draw(show);
  const ChromeGeometry g = SlideLayouter(testing::Engine(), theme).Chrome(w, h);
  int generation = 0;
  for (alert::Severity severity :
       {alert::Severity::kInfo, alert::Severity::kWarning, alert::Severity::kCritical}) {
    auto a = Active(std::string("a-") + alert::SeverityName(severity), severity, clock);
    show.SetAlerts(Snap(++generation, {a}));
    clock.Advance(500ms);
    show.Tick();
    ASSERT_TRUE(show.alerts().covering());
    Image frame = canvas.Draw(show);
    MaybeWritePng(frame, std::string("alert-") + alert::SeverityName(severity) + "-" +
                             std::to_string(w) + "x" + std::to_string(h));
    const std::uint32_t bg = AlertBackground(theme, severity);
    const long area = static_cast<long>(w) * static_cast<long>(g.ticker.y);
    EXPECT_GT(testing::CountColor(frame, bg, 2), area / 2)
        << alert::SeverityName(severity) << ": not mostly its background";
    EXPECT_EQ(testing::CountColor(plain, bg, 2), 0);
    // The ticker band is the ticker's, with the alert's title running in it.
    EXPECT_EQ(testing::Channel(frame, w - 2, static_cast<int>(g.ticker.y + 2), 0),
              static_cast<std::uint8_t>(theme.colors.ticker_background >> 24));
    SlideLayouter layouter(testing::Engine(), theme);
    SlideLayout layout =
        LayOutAlert(layouter, a, 1, 1, playlist::ToLocalDateTime(clock.WallNow()), w, h);
    EXPECT_FALSE(layout.truncated) << "a short title and text fit whole";
    // Every text inside the screen and above the ticker.
    for (const PlacedText& t : layout.texts) {
      ASSERT_FALSE(t.layout.lines.empty());
      EXPECT_GE(t.x, 0.f);
      EXPECT_LE(t.x + t.layout.width, static_cast<float>(w) + 0.5f);
      EXPECT_LE(t.y + t.layout.lines.back().baseline, g.ticker.y);
    }
    // The title is the largest text on the slide.
    float title = 0, largest = 0;
    for (const PlacedText& t : layout.texts) {
      if (t.layout.text == a.alert.title) title = t.layout.size_px;
      largest = std::max(largest, t.layout.size_px);
    }
    EXPECT_EQ(title, largest);
  }
}

INSTANTIATE_TEST_SUITE_P(Screens, AlertFrameTest,
                         ::testing::Values(Orientation{1280, 720}, Orientation{720, 1280}),
                         [](const ::testing::TestParamInfo<Orientation>& param) {
                           return std::to_string(param.param.w) + "x" +
                                  std::to_string(param.param.h);
                         });

// While it fades in, every pixel is a mix of the slide and the alert: the
// frame halfway is neither the slide nor the alert.
TEST(AlertFrameTest, FadeInBlendsOverTheSlide) {
  const Theme& theme = DefaultTheme();
  ManualClock clock;
  Canvas canvas(640, 360, theme, clock);
  Show show(clock, Make(2), {.slide_seconds = 100});
  const Image plain = canvas.Draw(show);
  show.SetAlerts(Snap(1, {Active("w", alert::Severity::kWarning, clock)}));
  clock.Advance(200ms);
  show.Tick();
  Image half = canvas.Draw(show);
  clock.Advance(300ms);
  show.Tick();
  Image full = canvas.Draw(show);
  const std::uint32_t bg = theme.colors.alert_warning_background;
  EXPECT_LT(testing::CountColor(half, bg, 2), testing::CountColor(full, bg, 2) / 10);
  EXPECT_NE(half.rgba, plain.rgba);
  // A background pixel halfway: between the slide's and the alert's (blue:
  // the channel in which the two differ most).
  const int x = 5, y = 180;
  const int r0 = testing::Channel(plain, x, y, 2), r1 = testing::Channel(full, x, y, 2);
  const int rh = testing::Channel(half, x, y, 2);
  EXPECT_GT(std::abs(rh - r0), 10);
  EXPECT_GT(std::abs(rh - r1), 10);
}

TEST(AlertLayoutTest, ALongNoticeIsCutOnlyAtASentenceEnd) {
  const Theme& theme = DefaultTheme();
  ManualClock clock;
  SlideLayouter layouter(testing::Engine(), theme);
  auto a = Active("long", alert::Severity::kCritical, clock);
  a.alert.text.clear();
  for (int i = 0; i < 40; ++i) a.alert.text += "请全体师生按照疏散路线有序撤离到操场集合。";
  SlideLayout layout =
      LayOutAlert(layouter, a, 1, 1, playlist::ToLocalDateTime(clock.WallNow()), 1920, 1080);
  EXPECT_TRUE(layout.truncated);
  // Cut where a sentence ends, its full stop giving way to the ellipsis.
  const std::string& shown = layout.texts.back().layout.text;
  const std::string ellipsis = "……";
  ASSERT_GT(shown.size(), ellipsis.size());
  ASSERT_EQ(shown.substr(shown.size() - ellipsis.size()), ellipsis) << shown;
  const std::string kept = shown.substr(0, shown.size() - ellipsis.size());
  EXPECT_EQ(a.alert.text.substr(0, kept.size()), kept);
  EXPECT_EQ(a.alert.text.substr(kept.size(), std::string("。").size()), "。") << shown;
}

TEST(AlertLayoutTest, ExercisesAreMarkedAndSeveralArePositioned) {
  const Theme& theme = DefaultTheme();
  ManualClock clock;
  SlideLayouter layouter(testing::Engine(), theme);
  auto a = Active("drill", alert::Severity::kWarning, clock, "10:00 消防疏散演练");
  a.alert.status = alert::AlertStatus::kExercise;
  SlideLayout layout =
      LayOutAlert(layouter, a, 2, 3, playlist::ToLocalDateTime(clock.WallNow()), 1920, 1080);
  std::string all;
  for (const PlacedText& t : layout.texts) all += t.layout.text + "|";
  EXPECT_NE(all.find("警示通知（演练）"), std::string::npos) << all;
  EXPECT_NE(all.find("2 / 3"), std::string::npos) << all;
  EXPECT_NE(all.find("来源：区教育局"), std::string::npos) << all;
  EXPECT_NE(all.find("有效至 11:00"), std::string::npos) << all;  // 09:00 + 2 h, today: no date
}

}  // namespace
}  // namespace nb::render
