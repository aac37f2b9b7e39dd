// Fuzzes our alert format and the alert set behind it. Properties: a refusal
// always says why; every accepted alert comes back unchanged through
// AlertToJson; applying it, storing the set and restoring it never fails.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "alert/alert_json.h"
#include "alert/alert_set.h"
#include "base/manual_clock.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto message = nb::alert::ParseAlertJson(text, &error);
  if (!message) {
    if (error.empty()) {
      std::fprintf(stderr, "a refused alert document came without a reason\n");
      std::abort();
    }
    return 0;
  }
  for (const nb::alert::Alert& alert : message->upserts) {
    std::string json = nb::alert::AlertToJson(alert);
    auto again = nb::alert::ParseAlertJson(json, &error);
    if (!again || again->upserts.size() != 1 || !(again->upserts[0] == alert)) {
      std::fprintf(stderr, "an accepted alert does not round-trip (%s):\n%s\n", error.c_str(),
                   json.c_str());
      std::abort();
    }
  }
  nb::ManualClock clock;
  nb::alert::AlertPolicy policy;
  policy.show_exercises = size % 2 == 0;
  nb::alert::AlertSet set(clock, policy);
  set.ReplaceOrigin(*message, "feed");
  nb::alert::AlertSet restored(clock, policy);
  restored.Restore(set.ToJson(), &error);
  if (!error.empty() || restored.Snapshot()->alerts.size() != set.Snapshot()->alerts.size()) {
    std::fprintf(stderr, "a stored set does not restore: %s\n%s\n", error.c_str(),
                 set.ToJson().c_str());
    std::abort();
  }
  return 0;
}
