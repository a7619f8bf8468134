// Vietnamese tone keys: where the mark goes, replacing and removing it, and letters typed after it.
#include "kiosk/input/vietnamese.hpp"

#include <catch2/catch.hpp>

using namespace fk::input::vietnamese;

TEST_CASE("a tone goes on the vowel with a diacritic") {
  CHECK(apply_tone("Viêt", Tone::Nang) == "Việt");
  CHECK(apply_tone("Việt Nam", Tone::None) == "Việt Nam");
  CHECK(apply_tone("ngươi", Tone::Huyen) == "người");
  CHECK(apply_tone("đươc", Tone::Nang) == "được");
  CHECK(apply_tone("thuơ", Tone::Hoi) == "thuở");
  CHECK(apply_tone("ruơu", Tone::Nang) == "ruợu");
  CHECK(apply_tone("rươu", Tone::Nang) == "rượu");
  CHECK(apply_tone("tiên", Tone::Huyen) == "tiền");
  CHECK(apply_tone("muôn", Tone::Sac) == "muốn");
  CHECK(apply_tone("cam ơn", Tone::None) == "cam ơn");
  CHECK(apply_tone("cam", Tone::Hoi) == "cảm");
}

TEST_CASE("a whole phrase typed with tone keys") {
  std::string text = "Viê";
  text = apply_tone(text, Tone::Nang);
  text = type_letter(text, "t");
  text = type_letter(text, " ");
  text = type_letter(text, "N");
  text = type_letter(text, "a");
  text = type_letter(text, "m");
  CHECK(text == "Việt Nam");
  CHECK(apply_tone("cam", Tone::Hoi) + " " + apply_tone("ơn", Tone::None) == "cảm ơn");
}

TEST_CASE("qu and gi belong to the consonant") {
  CHECK(apply_tone("quy", Tone::Sac) == "quý");
  CHECK(apply_tone("qua", Tone::Huyen) == "quà");
  CHECK(apply_tone("quôc", Tone::Sac) == "quốc");
  CHECK(apply_tone("gia", Tone::Sac) == "giá");
  CHECK(apply_tone("giư", Tone::Nga) == "giữ");
  CHECK(apply_tone("giưa", Tone::Nga) == "giữa");
  CHECK(apply_tone("gi", Tone::Huyen) == "gì");  // no other vowel: the i is the vowel
  CHECK(apply_tone("gin", Tone::Huyen) == "gìn");
  CHECK(apply_tone("QUY", Tone::Sac) == "QUÝ");
}

TEST_CASE("oa, oe, uy without a final take the tone on the second vowel") {
  CHECK(apply_tone("hoa", Tone::Huyen) == "hoà");
  CHECK(apply_tone("khoe", Tone::Hoi) == "khoẻ");
  CHECK(apply_tone("thuy", Tone::Sac) == "thuý");
  CHECK(apply_tone("toan", Tone::Sac) == "toán");  // a final consonant: the last vowel
  CHECK(apply_tone("hoang", Tone::Huyen) == "hoàng");
  CHECK(apply_tone("huynh", Tone::Huyen) == "huỳnh");
}

TEST_CASE("two vowels without a final: the first, three: the middle one") {
  CHECK(apply_tone("mai", Tone::Sac) == "mái");
  CHECK(apply_tone("mua", Tone::Sac) == "múa");
  CHECK(apply_tone("cua", Tone::Hoi) == "của");
  CHECK(apply_tone("sau", Tone::Sac) == "sáu");
  CHECK(apply_tone("keo", Tone::Sac) == "kéo");
  CHECK(apply_tone("ngoai", Tone::Huyen) == "ngoài");
  CHECK(apply_tone("khuyu", Tone::Hoi) == "khuỷu");
  CHECK(apply_tone("khuya", Tone::Sac) == "khuýa");
}

TEST_CASE("a second tone replaces the first, the same tone again removes it") {
  CHECK(apply_tone("má", Tone::Huyen) == "mà");
  CHECK(apply_tone("má", Tone::Sac) == "ma");
  CHECK(apply_tone("người", Tone::Huyen) == "ngươi");
  CHECK(apply_tone("người", Tone::Nang) == "ngượi");
  CHECK(apply_tone("Việt", Tone::Nang) == "Viêt");
  CHECK(apply_tone("má", Tone::None) == "ma");
  CHECK(apply_tone("hóa", Tone::Huyen) == "hoà");  // a tone in the old place moves too
  CHECK(apply_tone("hóa", Tone::Sac) == "hoa");
}

TEST_CASE("upper-case vowels keep their case") {
  CHECK(apply_tone("VIÊT", Tone::Nang) == "VIỆT");
  CHECK(apply_tone("Ơn", Tone::Sac) == "Ớn");
  CHECK(apply_tone("HOA", Tone::Huyen) == "HOÀ");
  CHECK(apply_tone("A", Tone::Nga) == "Ã");
  CHECK(apply_tone("NGƯƠI", Tone::Huyen) == "NGƯỜI");
}

TEST_CASE("only the syllable before the end of the text changes") {
  CHECK(apply_tone("cam on", Tone::Sac) == "cam ón");
  CHECK(apply_tone("Việt Nam", Tone::Sac) == "Việt Nám");
  CHECK(apply_tone("hoa ", Tone::Sac) == "hoa ");  // ends in a space: no syllable
  CHECK(apply_tone("hoa.", Tone::Sac) == "hoa.");
  CHECK(apply_tone("", Tone::Sac) == "");
  CHECK(apply_tone("nh", Tone::Sac) == "nh");  // no vowel
  CHECK(apply_tone("123", Tone::Sac) == "123");
  CHECK(apply_tone("đi", Tone::Nang) == "đị");
}

TEST_CASE("letters typed after a tone move it to where the rule puts it") {
  CHECK(type_letter("hó", "a") == "hoá");
  CHECK(type_letter("toá", "n") == "toán");
  CHECK(type_letter("mú", "a") == "múa");
  CHECK(type_letter("Việ", "t") == "Việt");
  CHECK(type_letter("ngườ", "i") == "người");
  CHECK(type_letter("hoa", "n") == "hoan");
  CHECK(type_letter("má", " ") == "má ");
  CHECK(type_letter("má", "1") == "má1");
  CHECK(type_letter("", "ă") == "ă");
}

TEST_CASE("tone names and the vowel forms for the atlas") {
  CHECK(std::string(tone_name(Tone::Sac)) == "sac");
  CHECK(std::string(tone_name(Tone::Huyen)) == "huyen");
  CHECK(std::string(tone_name(Tone::Hoi)) == "hoi");
  CHECK(std::string(tone_name(Tone::Nga)) == "nga");
  CHECK(std::string(tone_name(Tone::Nang)) == "nang");
  const std::string forms = vowel_forms();
  for (const char* v : {"ệ", "ờ", "ữ", "ỷ", "Ặ", "Ỵ", "a", "Ư"}) {
    INFO(v);
    CHECK(forms.find(v) != std::string::npos);
  }
}
