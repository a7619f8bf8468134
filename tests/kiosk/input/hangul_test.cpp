// Hangul composition as the Korean keyboard types it, jamo by jamo.
#include "kiosk/input/hangul.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace fk::input::hangul;

namespace {

// Types each jamo of `jamo` (compatibility jamo, or anything else as it is) after `text`.
std::string type_all(std::string text, std::u32string_view jamo) {
  for (char32_t c : jamo) text = type_jamo(std::move(text), c);
  return text;
}

}  // namespace

TEST_CASE("jamo compose into syllables") {
  CHECK(type_all("", U"ㅎㅏㄴㄱㅜㄱㅇㅓ") == "한국어");
  CHECK(type_all("", U"ㅇㅏㄴㄴㅕㅇㅎㅏㅅㅔㅇㅛ") == "안녕하세요");
  CHECK(type_all("", U"ㄱㅏㅁㅅㅏㅎㅏㅂㄴㅣㄷㅏ") == "감사합니다");
  CHECK(type_all("", U"ㄱㅏㄴㅏ") == "가나");
  CHECK(type_all("저는 ", U"ㅈㅣㄴㅅㅜ") == "저는 진수");
}

TEST_CASE("compound vowels") {
  CHECK(type_all("", U"ㅇㅗㅏ") == "와");
  CHECK(type_all("", U"ㅇㅡㅣ") == "의");
  CHECK(type_all("", U"ㄷㅙ") == "돼");  // ㅙ has no key of its own on 2-set: ㅗ + ㅐ
  CHECK(type_all("", U"ㄷㅗㅐ") == "돼");
  CHECK(type_all("", U"ㅁㅜㅓ") == "뭐");
  CHECK(type_all("", U"ㄱㅜㅔ") == "궤");
  CHECK(type_all("", U"ㅇㅜㅣ") == "위");
  CHECK(type_all("", U"ㅚ") == "ㅚ");
  CHECK(type_all("", U"ㅗㅏ") == "ㅘ");      // a lone compound vowel
  CHECK(type_all("", U"ㅇㅏㅏ") == "아ㅏ");  // no compound: a second syllable
}

TEST_CASE("compound finals and a vowel that takes the final along") {
  CHECK(type_all("", U"ㄷㅏㄹㄱ") == "닭");
  CHECK(type_all("", U"ㄷㅏㄹㄱㅏ") == "달가");
  CHECK(type_all("", U"ㅇㅏㄴㅈ") == "앉");
  CHECK(type_all("", U"ㅇㅏㄴㅈㅏ") == "안자");
  CHECK(type_all("", U"ㅇㅓㅂㅅ") == "없");
  CHECK(type_all("", U"ㅇㅓㅂㅅㅓ") == "업서");
  CHECK(type_all("", U"ㅁㅏㄴㅎ") == "많");
  CHECK(type_all("", U"ㄱㅏㅆ") == "갔");
  CHECK(type_all("", U"ㄱㅏㅆㅓ") == "가써");  // a double consonant moves whole
  CHECK(type_all("", U"ㅎㅏㄴㄱ") == "한ㄱ");  // ㄴ + ㄱ is no compound
}

TEST_CASE("ㄸ ㅃ ㅉ cannot end a syllable") {
  CHECK(type_all("", U"ㄱㅏㄸ") == "가ㄸ");
  CHECK(type_all("", U"ㄱㅏㄸㅏ") == "가따");
  CHECK(type_all("", U"ㅇㅏㅃㅏ") == "아빠");
  CHECK(type_all("", U"ㅇㅏㅉ") == "아ㅉ");
}

TEST_CASE("composition only looks at the last character") {
  CHECK(type_all("가 ", U"ㄴ") == "가 ㄴ");  // a space ends the syllable
  CHECK(type_all("abc", U"ㅏ") == "abcㅏ");
  CHECK(type_all("", U"ㅏㄱ") == "ㅏㄱ");  // no initial, no syllable
  CHECK(type_all("1", U"ㄱㄱ") == "1ㄱㄱ");
  CHECK(type_jamo("가", U'x') == "가x");  // not a jamo: appended
  CHECK(type_key("가", "ㄴ") == "간");
  CHECK(type_key("가", "1") == "가1");
  CHECK(type_key("가", ", ") == "가, ");
}

TEST_CASE("Delete takes one jamo off the syllable being composed") {
  std::string text = "한";
  text = delete_back(text);
  CHECK(text == "하");
  text = delete_back(text);
  CHECK(text == "ㅎ");
  text = delete_back(text);
  CHECK(text.empty());
  CHECK(delete_back("") == "");

  CHECK(delete_back("닭") == "달");
  CHECK(delete_back("달") == "다");
  CHECK(delete_back("와") == "오");
  CHECK(delete_back("의") == "으");
  CHECK(delete_back("ㅘ") == "ㅗ");
  CHECK(delete_back("한국어") == "한국ㅇ");
  CHECK(delete_back("한 ") == "한");  // other characters go whole
  CHECK(delete_back("가é") == "가");
  CHECK(delete_back("ㄱ") == "");
}

TEST_CASE("Delete undoes typing jamo by jamo") {
  const std::u32string jamo = U"ㄷㅏㄹㄱㅗㅏ";
  std::vector<std::string> steps = {""};
  for (char32_t c : jamo) steps.push_back(type_jamo(steps.back(), c));
  CHECK(steps.back() == "달과");
  // Deleting walks back through what each key made, except where a final moved on to a new syllable.
  CHECK(delete_back("달과") == "달고");
  CHECK(delete_back("달고") == "달ㄱ");
  CHECK(delete_back("달ㄱ") == "달");
}

TEST_CASE("the lone compound vowels for the atlas") {
  CHECK(compound_vowel_jamo() == "ㅘㅙㅚㅝㅞㅟㅢ");
}

TEST_CASE("jamo and syllable ranges") {
  CHECK(is_jamo(U'ㄱ'));
  CHECK(is_jamo(U'ㅣ'));
  CHECK_FALSE(is_jamo(U'가'));
  CHECK(is_syllable(U'가'));
  CHECK(is_syllable(U'힣'));
  CHECK_FALSE(is_syllable(U'ㄱ'));
}
