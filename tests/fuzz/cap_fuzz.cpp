// Fuzzes the CAP 1.2 reader (pugixml underneath). Properties: a refusal
// always says why; an accepted alert is one our JSON format carries
// unchanged (its fields were made the same way).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "alert/alert_json.h"
#include "alert/cap.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto message = nb::alert::ParseCap(xml, &error);
  if (!message) {
    if (error.empty()) {
      std::fprintf(stderr, "a refused CAP document came without a reason\n");
      std::abort();
    }
    return 0;
  }
  for (const nb::alert::Alert& alert : message->upserts) {
    std::string json = nb::alert::AlertToJson(alert);
    auto again = nb::alert::ParseAlertJson(json, &error);
    if (!again || again->upserts.size() != 1 || !(again->upserts[0] == alert)) {
      std::fprintf(stderr, "an alert read from CAP does not round-trip (%s):\n%s\n", error.c_str(),
                   json.c_str());
      std::abort();
    }
  }
  return 0;
}
