// Hangul syllable composition for the 2-set (dubeolsik) on-screen keyboard: the keys type compatibility jamo
// (U+3131..U+3163) and these functions build syllables from them as a Korean input method does.
//
// Stateless on purpose: composition looks only at the last character of the text, so the syllable that ends
// the text is the one being composed ("가" then ㄴ gives "간", however long ago "가" was typed). A space or
// any other non-Hangul character ends a syllable. The keyboard then holds no hidden composition state that
// would have to follow Delete, layer switches or a question change.
#pragma once

#include <string>

namespace fk::input::hangul {

// A compatibility jamo (what a key of the Korean keyboard types).
bool is_jamo(char32_t c);
// A precomposed syllable U+AC00..U+D7A3.
bool is_syllable(char32_t c);

// Types `jamo` at the end of `text` (UTF-8):
//  - a consonant after a syllable without a final becomes its final (not ㄸ ㅃ ㅉ, which cannot end a
//    syllable); after a final it may form a compound final (ㄳ ㄵ ㄶ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅄ);
//  - a vowel after a lone initial consonant makes a syllable; after a syllable without a final it may form a
//    compound medial (ㅘ ㅙ ㅚ ㅝ ㅞ ㅟ ㅢ); after a final it takes that final (or the second half of a
//    compound final) as the initial of a new syllable: "닭" + ㅏ = "달가";
//  - anything else is appended as it is. A character that is not a jamo is appended too.
std::string type_jamo(std::string text, char32_t jamo);

// Types what a key shows: a single jamo composes (see type_jamo), any other text (digits, punctuation) is
// appended.
std::string type_key(std::string text, const std::string& key);

// The Delete key: takes the last jamo off the syllable that ends the text ("한" → "하" → "ㅎ" → "",
// "닭" → "달", "와" → "오"), splits a lone compound vowel (ㅘ → ㅗ), and removes any other last character
// whole.
std::string delete_back(std::string text);

// The lone compound vowels type_jamo can produce (ㅗ then ㅏ gives ㅘ), for the font atlas.
std::string compound_vowel_jamo();

}  // namespace fk::input::hangul
