#include "console/bulletin_import.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <fstream>
#include <sstream>

#include "bulletin/bulletin.h"
#include "playlist/playlist.h"

namespace nb::console {
namespace {

constexpr const char* kGeneratedAt = "2025-12-01T01:00:00Z";

std::string ReadSample() {
  std::ifstream in(NB_SOURCE_DIR "/playlists/tianjin-education.txt", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `charset` bytes of UTF-8 text, made with ICU (as Notepad would save them);
// a character the charset lacks fails the test instead of becoming "?".
std::string Encode(const std::string& utf8, const char* charset) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(utf8);
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(charset, &err);
  EXPECT_TRUE(U_SUCCESS(err)) << charset;
  ucnv_setFromUCallBack(conv, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  std::string out(static_cast<std::size_t>(u.length()) * 4 + 16, '\0');
  int32_t n = ucnv_fromUChars(conv, out.data(), static_cast<int32_t>(out.size()), u.getBuffer(),
                              u.length(), &err);
  ucnv_close(conv);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// What `noticeboard build` makes of the sample, straight from the builder.
playlist::Playlist Built(const std::string& text) {
  bulletin::Bulletin parsed;
  EXPECT_TRUE(bulletin::ParseBulletin(text, "t.txt", &parsed).ok());
  return bulletin::MakePlaylist(parsed, bulletin::BuildOptions{}, kGeneratedAt);
}

playlist::Playlist ParseOk(const ImportResult& r) {
  EXPECT_TRUE(r.ok) << r.message;
  std::vector<Diagnostic> errors;
  auto p = playlist::ParsePlaylist(r.playlist_json, "draft", &errors);
  EXPECT_TRUE(p.has_value()) << (errors.empty() ? "" : errors[0].ToString());
  return p.value_or(playlist::Playlist{});
}

void ExpectSameItems(const playlist::Playlist& got, const playlist::Playlist& want) {
  ASSERT_EQ(got.items.size(), want.items.size());
  for (std::size_t i = 0; i < want.items.size(); ++i) {
    EXPECT_EQ(got.items[i].id, want.items[i].id) << i;
    EXPECT_EQ(got.items[i].title, want.items[i].title) << i;
    EXPECT_EQ(got.items[i].summary, want.items[i].summary) << i;
  }
}

TEST(BulletinImportTest, SampleBulletinGivesWhatBuildGives) {
  const std::string text = ReadSample();
  ImportResult r = ImportFile(text, "tianjin-education.txt", kGeneratedAt);
  EXPECT_EQ(r.format, "bulletin");
  EXPECT_EQ(r.encoding, "UTF-8");
  playlist::Playlist got = ParseOk(r);
  ExpectSameItems(got, Built(text));
  EXPECT_EQ(got.generated_at, kGeneratedAt);
  EXPECT_GE(got.items.size(), 10u);
}

TEST(BulletinImportTest, SampleMatchesTheCommittedPlaylistItems) {
  std::ifstream in(NB_SOURCE_DIR "/playlists/tianjin-education.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<Diagnostic> errors;
  auto committed = playlist::ParsePlaylist(ss.str(), "tianjin-education.json", &errors);
  ASSERT_TRUE(committed.has_value());
  ExpectSameItems(ParseOk(ImportFile(ReadSample(), "b.txt", kGeneratedAt)), *committed);
}

TEST(BulletinImportTest, GbkBulletinIsConvertedAndGivesTheSameItems) {
  // GBK has no "•" (U+2022), which one title of the sample uses; Notepad
  // would have lost it too. Its middle dot "·" stands in.
  std::string text = ReadSample();
  for (std::size_t at; (at = text.find("•")) != std::string::npos;) text.replace(at, 3, "·");
  const std::string gbk = Encode(text, "GBK");
  ASSERT_NE(gbk, text);
  ImportResult r = ImportFile(gbk, "notepad-ansi.txt", kGeneratedAt);
  EXPECT_EQ(r.encoding, "GB18030");
  EXPECT_EQ(r.format, "bulletin");
  ExpectSameItems(ParseOk(r), Built(text));
}

TEST(BulletinImportTest, Utf8WithBomIsTakenAsIs) {
  const std::string text = ReadSample();
  ImportResult r = ImportFile("\xEF\xBB\xBF" + text, "bom.txt", kGeneratedAt);
  EXPECT_EQ(r.encoding, "UTF-8");
  ExpectSameItems(ParseOk(r), Built(text));
}

TEST(BulletinImportTest, Utf16WithBomIsConverted) {
  const std::string text = ReadSample();
  for (const char* charset : {"UTF-16LE", "UTF-16BE"}) {
    std::string bom = std::string(charset) == "UTF-16LE" ? "\xFF\xFE" : "\xFE\xFF";
    ImportResult r = ImportFile(bom + Encode(text, charset), "u16.txt", kGeneratedAt);
    EXPECT_EQ(r.encoding, "UTF-16") << charset;
    ExpectSameItems(ParseOk(r), Built(text));
  }
}

TEST(BulletinImportTest, BinaryIsRefusedWithHowToSaveAsUtf8) {
  // A PNG signature, then bytes that neither UTF-8 nor GB18030 allow (no
  // NUL: the decoders themselves must refuse it).
  const std::string png = std::string("\x89PNG\r\n\x1a\n") + "\xFF\xFE\x80\xFF" + "IHDR";
  ImportResult r = ImportFile(png, "photo.png", kGeneratedAt);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.playlist_json.empty());
  EXPECT_NE(r.message.find("另存为"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("UTF-8"), std::string::npos) << r.message;
}

TEST(BulletinImportTest, TextWithNulIsRefused) {
  // UTF-16 without a BOM: ASCII in it reads as valid UTF-8 with NULs.
  ImportResult r = ImportFile(std::string("{\0\"\0v\0", 6), "", kGeneratedAt);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("另存为"), std::string::npos);
}

TEST(BulletinImportTest, PlaylistWithErrorsGivesEveryErrorWithItsPointer) {
  playlist::Playlist p = Built(ReadSample());
  std::string json = playlist::ToJson(p);
  // Two mistakes: an empty title and an unknown field.
  std::string title = "\"title\": \"" + p.items[1].title + "\"";
  ASSERT_NE(json.find(title), std::string::npos);
  json.replace(json.find(title), title.size(), "\"title\": \"\", \"titel\": \"x\"");
  ImportResult r = ImportFile("\n  " + json, "edited.json", kGeneratedAt);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.format, "playlist");
  EXPECT_TRUE(r.playlist_json.empty());
  ASSERT_GE(r.errors.size(), 2u);
  bool empty_title = false, unknown = false;
  for (const auto& e : r.errors) {
    empty_title |= e.where == "/items/1/title";
    unknown |= e.where == "/items/1/titel" || e.message.find("titel") != std::string::npos;
  }
  EXPECT_TRUE(empty_title) << r.errors[0].ToString();
  EXPECT_TRUE(unknown) << r.errors[0].ToString();
  EXPECT_NE(r.message.find("edited.json"), std::string::npos) << r.message;
}

TEST(BulletinImportTest, ValidPlaylistComesBackCanonical) {
  playlist::Playlist p = Built(ReadSample());
  ImportResult r = ImportFile(playlist::ToJson(p), "", kGeneratedAt);
  EXPECT_EQ(r.format, "playlist");
  EXPECT_EQ(r.playlist_json, playlist::ToJson(p));
  EXPECT_EQ(ParseOk(r), p);
}

TEST(BulletinImportTest, LinesOutsideAnyItemAreWarnedWithTheirLineNumbers) {
  const std::string text =
      "天津教育\n·\n标题一\n2025-12-01\n正文一。 -\n·\n标题二\n2025-12-02\n正文二。 -\n"
      "\n版权所有\n津公网安备 12010402001281号\n";
  ImportResult r = ImportFile(text, "b.txt", kGeneratedAt);
  EXPECT_EQ(ParseOk(r).items.size(), 2u);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_NE(r.warnings[0].find("b.txt:11:"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[0].find("版权所有"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[1].find("b.txt:12:"), std::string::npos) << r.warnings[1];
}

TEST(BulletinImportTest, BadBulletinIsRefusedWithItsLine) {
  ImportResult r = ImportFile("天津教育\n·\n标题\n2025-13-40\n正文 -\n", "", kGeneratedAt);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.format, "bulletin");
  EXPECT_NE(r.message.find("pasted text:4"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace nb::console
