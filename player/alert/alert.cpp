// Names and labels of alert severities and statuses.
#include "alert/alert.h"

namespace nb::alert {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "warning";
}

std::optional<Severity> SeverityFromName(std::string_view name) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kCritical}) {
    if (name == SeverityName(s)) return s;
  }
  return std::nullopt;
}

const char* SeverityLabel(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "提示";
    case Severity::kWarning:
      return "警示";
    case Severity::kCritical:
      return "紧急";
  }
  return "警示";
}

const char* AlertStatusLabel(AlertStatus status) {
  switch (status) {
    case AlertStatus::kActual:
      return "";
    case AlertStatus::kExercise:
      return "演练";
    case AlertStatus::kTest:
      return "测试";
  }
  return "";
}

}  // namespace nb::alert
