#include "update/screen_notices.h"

namespace nb::update {
namespace {

// What was refused, named as the people at the screen know it: the stick,
// the server, the console. A bulletin is "公告文本", as in the console.
std::string Subject(UpdateSource source, UpdateFormat format) {
  const std::string what = format == UpdateFormat::kBulletin ? "公告文本" : "播放列表";
  switch (source) {
    case UpdateSource::kUsb:
      return "U盘中的" + what;
    case UpdateSource::kPull:
      return "网络上的" + what;
    case UpdateSource::kPush:
      return "推送的" + what;
    case UpdateSource::kFile:
      return what + "文件";
    case UpdateSource::kConsole:
      return "管理页面发布的" + what;
    case UpdateSource::kRollback:
      return "恢复的" + what;
  }
  return what;
}

}  // namespace

const char* SourceNameZh(UpdateSource source) {
  switch (source) {
    case UpdateSource::kUsb:
      return "U盘";
    case UpdateSource::kPull:
      return "网络";
    case UpdateSource::kPush:
      return "推送";
    case UpdateSource::kFile:
      return "文件";
    case UpdateSource::kConsole:
      return "管理页面";
    case UpdateSource::kRollback:
      return "上一个播放列表";
  }
  return "";
}

std::string AppliedNotice(UpdateSource source, std::size_t items) {
  if (source == UpdateSource::kRollback)
    return "已恢复上一个播放列表：" + std::to_string(items) + " 条";
  std::string how =
      source == UpdateSource::kPush ? "已通过推送" : std::string("已从") + SourceNameZh(source);
  return how + "更新播放列表：" + std::to_string(items) + " 条";
}

std::string UnchangedNotice(UpdateSource source, std::size_t items) {
  return Subject(source, UpdateFormat::kPlaylist) + "与正在播放的相同：" + std::to_string(items) +
         " 条";
}

std::string RefusalNotice(UpdateSource source, UpdateFormat format, RefusalKind kind,
                          std::size_t error_count) {
  const std::string subject = Subject(source, format);
  std::string what;
  switch (kind) {
    case RefusalKind::kTooLarge:
      what = subject + "过大";
      break;
    case RefusalKind::kUnsigned:
      what = subject + "没有签名";
      break;
    case RefusalKind::kBadSignature:
      what = subject + "签名无效";
      break;
    case RefusalKind::kFormat:
      what = subject + "格式有误";
      break;
    case RefusalKind::kInvalid:
      what = error_count > 0 ? subject + "有 " + std::to_string(error_count) + " 处错误"
                             : subject + "有错误";
      break;
    case RefusalKind::kStoreFailed:
      what = subject + "无法保存";
      break;
    case RefusalKind::kUnreadable:
      what = "无法读取" + subject;
      break;
  }
  // Nothing changed on screen, and the reasons are kept for the staff.
  return what + "，未更新；详见管理页面或日志";
}

}  // namespace nb::update
