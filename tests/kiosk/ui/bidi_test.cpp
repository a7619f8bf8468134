// Right-to-left text as drawn: FriBidi's reordering and Arabic shaping, checked code point by code point
// against the forms in the Unicode tables (Arabic Presentation Forms-B, U+FE70..U+FEFF).
#include "kiosk/ui/bidi.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "ui_test_support.hpp"

using fk::test::code_points;
using fk::ui::bidi::Base;
using fk::ui::bidi::has_rtl;
using fk::ui::bidi::visual;

namespace {

// "U+FE8D U+FEAE …": comparable, and readable when a check fails.
std::string hex(const std::vector<char32_t>& code_points) {
  std::string out;
  for (char32_t c : code_points) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%sU+%04X", out.empty() ? "" : " ", static_cast<unsigned>(c));
    out += buf;
  }
  return out;
}

// The code points of UTF-8 text, as hex().
std::string hex_text(const std::string& utf8) {
  return hex(code_points(utf8));
}

// Code points for literal ASCII, so expected sequences can mix them with presentation forms.
std::vector<char32_t> ascii(const char* s) {
  std::vector<char32_t> out;
  for (; *s != '\0'; ++s) out.push_back(static_cast<char32_t>(static_cast<unsigned char>(*s)));
  return out;
}

std::vector<char32_t> concat(std::initializer_list<std::vector<char32_t>> parts) {
  std::vector<char32_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

bool contains(const std::string& utf8, char32_t c) {
  for (char32_t d : code_points(utf8)) {
    if (d == c) return true;
  }
  return false;
}

constexpr char32_t kZeroWidthNoBreakSpace = 0xFEFF;  // what FriBidi leaves where a ligature ate a letter

// "شكرا" (thank you), as drawn from left to right.
const std::vector<char32_t> kShukranVisual = {
    0xFE8D,  // ALEF ISOLATED FORM (reh does not join to its left)
    0xFEAE,  // REH FINAL FORM
    0xFEDC,  // KAF MEDIAL FORM
    0xFEB7,  // SHEEN INITIAL FORM
};

}  // namespace

TEST_CASE("bidi: an Arabic word comes back in visual order, in its joined presentation forms") {
  CHECK(hex_text(visual("شكرا", Base::Rtl)) == hex(kShukranVisual));
  // A paragraph that starts with an Arabic letter runs right to left without being told.
  CHECK(hex_text(visual("شكرا", Base::Auto)) == hex(kShukranVisual));
}

TEST_CASE("bidi: lam followed by alef becomes one ligature, with no placeholder left behind") {
  const std::string la = visual("لا", Base::Rtl);
  CHECK(hex_text(la) == hex({
                            0xFEFB,  // LIGATURE LAM WITH ALEF ISOLATED FORM
                        }));
  CHECK_FALSE(contains(la, kZeroWidthNoBreakSpace));

  // "سلام" (peace): seen joins the lam-alef, which then cannot join the meem after it.
  const std::string salam = visual("سلام", Base::Rtl);
  CHECK(hex_text(salam) == hex({
                               0xFEE1,  // MEEM ISOLATED FORM
                               0xFEFC,  // LIGATURE LAM WITH ALEF FINAL FORM
                               0xFEB3,  // SEEN INITIAL FORM
                           }));
  CHECK(contains(salam, 0xFEFC));
  CHECK_FALSE(contains(salam, kZeroWidthNoBreakSpace));

  // "السلام" (the peace): the ligature inside a word; the letters around it still join correctly.
  const std::string assalam = visual("السلام", Base::Rtl);
  CHECK(hex_text(assalam) == hex({
                                 0xFEE1,  // MEEM ISOLATED FORM
                                 0xFEFC,  // LIGATURE LAM WITH ALEF FINAL FORM
                                 0xFEB4,  // SEEN MEDIAL FORM
                                 0xFEDF,  // LAM INITIAL FORM
                                 0xFE8D,  // ALEF ISOLATED FORM
                             }));
  CHECK_FALSE(contains(assalam, kZeroWidthNoBreakSpace));

  // "العربية" (Arabic, the language's own name): an alef before a lam makes no ligature.
  CHECK(hex_text(visual("العربية", Base::Rtl)) == hex({
                                                      0xFE94,  // TEH MARBUTA FINAL FORM
                                                      0xFEF4,  // YEH MEDIAL FORM
                                                      0xFE91,  // BEH INITIAL FORM
                                                      0xFEAE,  // REH FINAL FORM
                                                      0xFECC,  // AIN MEDIAL FORM
                                                      0xFEDF,  // LAM INITIAL FORM
                                                      0xFE8D,  // ALEF ISOLATED FORM
                                                  }));
}

TEST_CASE("bidi: digits and Latin inside an Arabic line keep left-to-right order") {
  // "رقم 2024" (number 2024): the number at the left, the Arabic to its right.
  const std::vector<char32_t> number = concat({ascii("2024 "),
                                               {
                                                   0xFEE2,  // MEEM FINAL FORM
                                                   0xFED7,  // QAF INITIAL FORM
                                                   0xFEAD,  // REH ISOLATED FORM
                                               }});
  CHECK(hex_text(visual("رقم 2024", Base::Rtl)) == hex(number));
  CHECK(hex_text(visual("رقم 2024", Base::Auto)) == hex(number));

  // "الضابط Smith" (officer Smith): the name unreversed at the left.
  const std::vector<char32_t> officer = concat({ascii("Smith "),
                                                {
                                                    0xFEC2,  // TAH FINAL FORM
                                                    0xFE91,  // BEH INITIAL FORM
                                                    0xFE8E,  // ALEF FINAL FORM
                                                    0xFEC0,  // DAD MEDIAL FORM
                                                    0xFEDF,  // LAM INITIAL FORM
                                                    0xFE8D,  // ALEF ISOLATED FORM
                                                }});
  CHECK(hex_text(visual("الضابط Smith", Base::Rtl)) == hex(officer));
  CHECK(visual("الضابط Smith", Base::Rtl).rfind("Smith ", 0) == 0);

  // An English sentence with one Arabic word stays English-first: only the word is reversed and shaped.
  const std::vector<char32_t> sentence = concat({ascii("Say "), kShukranVisual, ascii(" to the team")});
  CHECK(hex_text(visual("Say شكرا to the team", Base::Auto)) == hex(sentence));
  // The same line in an Arabic UI (right-to-left base) reads from the right: its start is at the right end.
  CHECK(hex_text(visual("Say شكرا to the team", Base::Rtl)) ==
        hex(concat({ascii("to the team "), kShukranVisual, ascii(" Say")})));
}

TEST_CASE("bidi: left-to-right text comes back byte for byte and has_rtl finds only right-to-left scripts") {
  const char* ltr[] = {
      "Touch here to start",
      "Thank you! (100%) — 3 of 7",
      "¿Cómo lo hicimos hoy?",
      "Tiếng Việt: Hôm nay chúng tôi phục vụ quý vị thế nào?",
      "今天我们的服务如何？",  // ends in a full-width question mark (U+FF1F, lead byte 0xEF)
      "오늘 저희 서비스는 어떠셨습니까?",
      "힣",
  };
  for (const char* s : ltr) {
    INFO(s);
    CHECK_FALSE(has_rtl(s));
    CHECK(visual(s, Base::Auto) == s);
    CHECK(visual(s, Base::Ltr) == s);
  }
  CHECK(visual("", Base::Rtl).empty());

  CHECK(has_rtl("شكرا"));
  CHECK(has_rtl("Officer الضابط"));           // Arabic after Latin
  CHECK(has_rtl("שלום"));                     // Hebrew
  CHECK(has_rtl(visual("شكرا", Base::Rtl)));  // presentation forms are still right to left
}

TEST_CASE(
    "bidi: an Arabic word typed letter by letter is joined correctly at every step, caret on the left") {
  struct Step {
    const char* typed;
    std::vector<char32_t> shown;  // left to right
  };
  const Step shukran[] = {
      {"ش", {0xFEB5 /* SHEEN ISOLATED FORM */}},
      {"شك", {0xFEDA /* KAF FINAL FORM */, 0xFEB7 /* SHEEN INITIAL FORM */}},
      {"شكر", {0xFEAE /* REH FINAL FORM */, 0xFEDC /* KAF MEDIAL FORM */, 0xFEB7 /* SHEEN INITIAL FORM */}},
      {"شكرا", kShukranVisual},
  };
  // "بيت" (house): every letter dual-joining, so the middle one turns medial only once the last is typed.
  const Step bayt[] = {
      {"ب", {0xFE8F /* BEH ISOLATED FORM */}},
      {"بي", {0xFEF2 /* YEH FINAL FORM */, 0xFE91 /* BEH INITIAL FORM */}},
      {"بيت", {0xFE96 /* TEH FINAL FORM */, 0xFEF4 /* YEH MEDIAL FORM */, 0xFE91 /* BEH INITIAL FORM */}},
  };
  std::vector<Step> all(std::begin(shukran), std::end(shukran));
  all.insert(all.end(), std::begin(bayt), std::end(bayt));
  for (const Step& step : all) {
    INFO("typed " << step.typed);
    CHECK(hex_text(visual(step.typed, Base::Rtl)) == hex(step.shown));
    // The text box draws the text with a caret after it: in an Arabic UI the caret is at the left end, after
    // the last letter in reading order, and it does not change how that letter joins.
    CHECK(hex_text(visual(std::string(step.typed) + "|", Base::Rtl)) ==
          hex(concat({ascii("|"), step.shown})));
  }
}
