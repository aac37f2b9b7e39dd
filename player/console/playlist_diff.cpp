// The approver's diff and the expiring items (playlist_diff.h).
#include "console/playlist_diff.h"

#include <dtl/dtl.hpp>

#include <cstdio>
#include <map>

#include "base/civil_time.h"
#include "base/utf8.h"
#include "playlist/schedule.h"

namespace nb::console {
namespace {

using playlist::Item;
using playlist::LocalDateTime;

std::string DateTimeText(const LocalDateTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute);
  return buf;
}

std::string NumberText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void AppendSpan(std::vector<TextSpan>* spans, TextSpan::Op op, char32_t c) {
  if (spans->empty() || spans->back().op != op) spans->push_back({op, ""});
  AppendUtf8(c, &spans->back().text);
}

void AddText(std::vector<FieldChange>* out, const char* field, const std::string& before,
             const std::string& after) {
  if (before == after) return;
  out->push_back({field, before, after, DiffText(before, after)});
}

void AddPlain(std::vector<FieldChange>* out, const char* field, const std::string& before,
              const std::string& after) {
  if (before != after) out->push_back({field, before, after, {}});
}

std::vector<FieldChange> ItemChanges(const Item& a, const Item& b, double default_a,
                                     double default_b) {
  std::vector<FieldChange> f;
  AddText(&f, "title", a.title, b.title);
  AddText(&f, "summary", a.summary, b.summary);
  AddText(&f, "body", a.body, b.body);
  AddPlain(&f, "date", a.date, b.date);
  AddPlain(&f, "duration_s", NumberText(a.duration_s.value_or(default_a)),
           NumberText(b.duration_s.value_or(default_b)));
  AddPlain(&f, "schedule", ScheduleText(a.schedule), ScheduleText(b.schedule));
  AddPlain(&f, "enabled", a.enabled ? "播放" : "停用", b.enabled ? "播放" : "停用");
  return f;
}

}  // namespace

std::vector<TextSpan> DiffText(std::string_view before, std::string_view after) {
  std::u32string a = DecodeUtf8(before), b = DecodeUtf8(after);
  std::vector<TextSpan> spans;
  if (a.size() > kMaxDiffChars || b.size() > kMaxDiffChars) {
    if (!a.empty()) spans.push_back({TextSpan::Op::kRemoved, std::string(before)});
    if (!b.empty()) spans.push_back({TextSpan::Op::kAdded, std::string(after)});
    return spans;
  }
  std::vector<char32_t> va(a.begin(), a.end()), vb(b.begin(), b.end());
  dtl::Diff<char32_t> diff(va, vb);
  diff.compose();
  for (const auto& [c, info] : diff.getSes().getSequence()) {
    switch (info.type) {
      case dtl::SES_ADD:
        AppendSpan(&spans, TextSpan::Op::kAdded, c);
        break;
      case dtl::SES_DELETE:
        AppendSpan(&spans, TextSpan::Op::kRemoved, c);
        break;
      default:
        AppendSpan(&spans, TextSpan::Op::kSame, c);
        break;
    }
  }
  return spans;
}

const char* ItemDiffKindName(ItemDiff::Kind kind) {
  switch (kind) {
    case ItemDiff::Kind::kSame:
      return "same";
    case ItemDiff::Kind::kAdded:
      return "added";
    case ItemDiff::Kind::kRemoved:
      return "removed";
    case ItemDiff::Kind::kChanged:
      return "changed";
  }
  return "same";
}

std::string ScheduleText(const std::optional<playlist::Schedule>& schedule) {
  if (!schedule) return "一直";
  std::string text;
  if (schedule->from) text += "从 " + DateTimeText(*schedule->from);
  if (schedule->until)
    text += std::string(text.empty() ? "" : " ") + "到 " + DateTimeText(*schedule->until);
  if (schedule->weekdays != 0x7F) {
    static const char* kDays[] = {"一", "二", "三", "四", "五", "六", "日"};
    std::string days;
    for (int k = 0; k < 7; ++k) {
      if (schedule->weekdays & WeekdayBit(k))
        days += std::string(days.empty() ? "周" : "、周") + kDays[k];
    }
    text += (text.empty() ? "" : "；") + days;
  }
  if (schedule->hours) {
    text += (text.empty() ? "每天 " : "；每天 ") + FormatClockTime(schedule->hours->first) + "-" +
            FormatClockTime(schedule->hours->second);
  }
  return text.empty() ? "一直" : text;
}

PlaylistDiff DiffPlaylists(const playlist::Playlist& playing, const playlist::Playlist& draft) {
  PlaylistDiff d;
  AddText(&d.playlist_fields, "title", playing.title, draft.title);
  AddPlain(&d.playlist_fields, "default_duration_s", NumberText(playing.default_duration_s),
           NumberText(draft.default_duration_s));
  auto transition = [](const playlist::Transition& t) {
    return std::string(t.kind == playlist::TransitionKind::kCut ? "直接切换" : "淡入淡出 ") +
           (t.kind == playlist::TransitionKind::kCut ? "" : std::to_string(t.ms) + " 毫秒");
  };
  AddPlain(&d.playlist_fields, "transition", transition(playing.transition),
           transition(draft.transition));

  std::map<std::string, int> in_draft, on_screen;
  for (std::size_t i = 0; i < draft.items.size(); ++i)
    in_draft[draft.items[i].id] = static_cast<int>(i);
  for (std::size_t i = 0; i < playing.items.size(); ++i)
    on_screen[playing.items[i].id] = static_cast<int>(i);
  // The kept items' order on screen, to tell which moved: a kept item moved
  // when it is not on the longest run kept in order (dtl's LCS of the ids).
  std::vector<std::string> kept_before, kept_after;
  for (const Item& it : playing.items)
    if (in_draft.count(it.id)) kept_before.push_back(it.id);
  for (const Item& it : draft.items)
    if (on_screen.count(it.id)) kept_after.push_back(it.id);
  std::map<std::string, bool> stayed;
  {
    dtl::Diff<std::string> order(kept_before, kept_after);
    order.compose();
    for (const auto& [id, info] : order.getSes().getSequence())
      if (info.type == dtl::SES_COMMON) stayed[id] = true;
  }

  // Removed items that come before any kept one go first.
  auto removed_after = [&](int playing_index) {
    for (int j = playing_index + 1; j < static_cast<int>(playing.items.size()); ++j) {
      const Item& gone = playing.items[j];
      if (in_draft.count(gone.id)) break;
      ItemDiff r;
      r.kind = ItemDiff::Kind::kRemoved;
      r.id = gone.id;
      r.title = gone.title;
      r.playing_index = j;
      d.items.push_back(std::move(r));
      ++d.removed;
    }
  };
  removed_after(-1);
  for (std::size_t i = 0; i < draft.items.size(); ++i) {
    const Item& item = draft.items[i];
    ItemDiff x;
    x.id = item.id;
    x.title = item.title;
    x.draft_index = static_cast<int>(i);
    auto found = on_screen.find(item.id);
    if (found == on_screen.end()) {
      x.kind = ItemDiff::Kind::kAdded;
      ++d.added;
      d.items.push_back(std::move(x));
      continue;
    }
    x.playing_index = found->second;
    x.moved = !stayed.count(item.id);
    x.fields = ItemChanges(playing.items[found->second], item, playing.default_duration_s,
                           draft.default_duration_s);
    x.kind = x.fields.empty() ? ItemDiff::Kind::kSame : ItemDiff::Kind::kChanged;
    if (!x.fields.empty()) ++d.changed;
    d.items.push_back(std::move(x));
    removed_after(found->second);
  }
  return d;
}

std::vector<ExpiringItem> ExpiringItems(const playlist::Playlist& playlist,
                                        std::chrono::system_clock::time_point now, int days) {
  const LocalDateTime from = playlist::ToLocalDateTime(now);
  const LocalDateTime to = playlist::ToLocalDateTime(now + std::chrono::hours(24 * days));
  std::vector<ExpiringItem> out;
  for (std::size_t i = 0; i < playlist.items.size(); ++i) {
    const Item& item = playlist.items[i];
    if (!item.schedule || !item.schedule->until) continue;
    const LocalDateTime& until = *item.schedule->until;
    if (until < from || until > to) continue;
    out.push_back({static_cast<int>(i), item.id, item.title, DateTimeText(until), item.enabled});
  }
  return out;
}

}  // namespace nb::console
