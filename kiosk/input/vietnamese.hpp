// Vietnamese tone marks for the on-screen keyboard: the five tone keys put their mark on the right vowel of
// the syllable that ends the text, always as precomposed (NFC) letters.
//
// Where the tone goes, in order (the widespread "old" rule, as in hoà, khoẻ, thuý):
//  1. In "qu" and in "gi" followed by another vowel, the u / i belong to the consonant (quý, giá, giữ; but
//  gì).
//  2. One vowel: on it.
//  3. A vowel with a diacritic (ă â ê ô ơ ư) takes it; of two ("ươ"), the last: người, được, thuở.
//  4. With a final consonant: the last vowel (toán, hoàng, huỳnh).
//  5. Two vowels, no final: the second for "oa", "oe", "uy" (hoà, khoẻ, thuý), else the first (mái, múa,
//  của).
//  6. Three or more vowels, no final: the second (ngoài, khuỷu; "khuya" would take it on the y).
// A "syllable" is the run of letters before the end of the text; text ending in a space or punctuation has
// none, and a tone key then changes nothing.
#pragma once

#include <string>

namespace fk::input::vietnamese {

// In the order of the tables' columns.
enum class Tone { None, Sac, Huyen, Hoi, Nga, Nang };

// "sac", "huyen", "hoi", "nga", "nang" ("none" for Tone::None): for touch-target ids.
const char* tone_name(Tone tone);

// Puts `tone` on the syllable that ends `text`, replacing the tone it had; the tone it already has is taken
// off instead (press the same key again to undo). Tone::None takes any tone off. Upper-case vowels stay
// upper case. Returns `text` unchanged when it does not end in a syllable with a vowel.
std::string apply_tone(std::string text, Tone tone);

// Appends a key's text. When it extends a syllable that has a tone, the tone moves to where the rule puts it
// now: "hó" + "a" = "hoá", "toá" + "n" = "toán".
std::string type_letter(std::string text, const std::string& letter);

// Every vowel the tone keys can produce, lower and upper case, with and without tone (144 characters), for
// the font atlas.
std::string vowel_forms();

}  // namespace fk::input::vietnamese
