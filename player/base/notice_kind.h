// NoticeKind: what a one-line notice on the lobby screen is about.
//
// Contract:
// - The kind picks the notice's colours (render/theme.h): kSuccess calm
//   (an update applied or read, or plain information such as "no playlist
//   yet"), kRefused amber (an update was refused; the old playlist plays on).
//   Neither is red: red is kept for critical urgent notices (alert/alert.h),
//   which are not notices but take the whole screen.
// - The config's "notices" key (update/config.h) decides which update
//   notices reach the screen; the log and the status always get them all.
// - Shared by the update pipeline, which posts notices, and render::Show,
//   which shows them; hence here, with no dependencies.
#pragma once

namespace nb {

enum class NoticeKind { kSuccess, kRefused };

}  // namespace nb
