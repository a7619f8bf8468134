// Notes as long as the lobby survey allows (500 characters), of real words in each of the kiosk's seven
// languages, long words and spaces included: for the text box's tests and the gallery.
#pragma once

#include <map>
#include <string>

#include "sync/model/utf8.hpp"

namespace fk::test {

inline const std::map<std::string, std::string>& note_sentences() {
  static const std::map<std::string, std::string> sentences = {
      {"en",
       "Officer Diaz listened patiently, explained the incomprehensible paperwork step by step, and treated "
       "my "
       "grandmother with extraordinary kindness and respect. Thank you! "},
      {"es",
       "La oficial Díaz escuchó con muchísima paciencia, explicó cuidadosamente el procedimiento "
       "administrativo y trató a mi abuela con extraordinaria amabilidad. ¡Gracias! "},
      {"fr",
       "L'agente Lefèvre a écouté patiemment, expliqué chaque démarche administrative incompréhensible et "
       "traité ma grand-mère avec une gentillesse extraordinaire. Merci ! "},
      {"vi",
       "Chị Nguyễn đã lắng nghe rất kiên nhẫn, giải thích từng bước thủ tục hành chính và đối xử với bà tôi "
       "vô cùng tử tế. Cảm ơn chị! "},
      {"ar",
       "شكرا جزيلا للضابط على صبره واستماعه، فقد شرح لنا الإجراءات خطوة بخطوة وتعامل مع جدتي بلطف واحترام "
       "كبيرين. "},
      {"ko", "경찰관님께서 끝까지 친절하게 설명해 주시고 할머니를 정성껏 도와주셔서 진심으로 감사드립니다. "},
      {"zh",
       "非常感谢李警官耐心地听我说话，一步一步地解释了复杂的手续，并且非常尊重地对待我的祖母。Xie xie nin! "},
  };
  return sentences;
}

// The language's sentences repeated up to exactly `length` code points.
inline std::string long_note(const std::string& language, std::size_t length = 500) {
  const std::string& sentence = note_sentences().at(language);
  std::string note;
  while (model::utf8_length(note) < length) note += sentence;
  while (model::utf8_length(note) > length) model::utf8_pop_back(note);
  return note;
}

}  // namespace fk::test
