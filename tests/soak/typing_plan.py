"""Text to the on-screen keyboard's keys, the way a person types it.

- Korean: each syllable is decomposed into its jamo (the Unicode algorithm, U+AC00 base, 21 medials x 28
  finals) and each jamo typed as the 2-set keyboard has it: compound medials (ㅘ = ㅗ ㅏ) and compound finals
  (ㄺ = ㄹ ㄱ) as two keys; doubled consonants (ㄲ ㅆ …) are keys of the shifted layer.
- Vietnamese: each word's base letters (ă â ê ô ơ ư đ are keys of their own), then the tone key.
- Everything else: one key per character ("key-<char>", "key-space").
Which layer or Shift a key is on is found on screen at run time (see people.py), not assumed here.
"""

import unicodedata

KEY_SPACE = "key-space"

# Compatibility jamo (what the keys type) for the conjoining indices.
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = ["ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅗㅏ", "ㅗㅐ", "ㅗㅣ", "ㅛ", "ㅜ", "ㅜㅓ", "ㅜㅔ", "ㅜㅣ",
            "ㅠ", "ㅡ", "ㅡㅣ", "ㅣ"]
_FINALS = ["", "ㄱ", "ㄲ", "ㄱㅅ", "ㄴ", "ㄴㅈ", "ㄴㅎ", "ㄷ", "ㄹ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ", "ㄹㅅ", "ㄹㅌ", "ㄹㅍ", "ㄹㅎ",
           "ㅁ", "ㅂ", "ㅂㅅ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
_SBASE, _VCOUNT, _TCOUNT = 0xAC00, 21, 28


def hangul_jamo_keys(syllable):
    """The jamo keys that type one precomposed syllable ("닭" -> ["ㄷ", "ㅏ", "ㄹ", "ㄱ"])."""
    index = ord(syllable) - _SBASE
    if not 0 <= index < 19 * _VCOUNT * _TCOUNT:
        return [syllable]
    lead, rest = divmod(index, _VCOUNT * _TCOUNT)
    vowel, tail = divmod(rest, _TCOUNT)
    return [_INITIALS[lead]] + list(_MEDIALS[vowel]) + list(_FINALS[tail])


# Combining tone marks and the tone keys that put them on (kiosk/ui/keyboard.hpp: key-tone-<name>).
_TONES = {"\u0301": "sac", "\u0300": "huyen", "\u0309": "hoi", "\u0303": "nga", "\u0323": "nang"}


def _vietnamese_word(word):
    """Base letters of one word, then its tone key (if it has a tone)."""
    tone = None
    letters = []
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        kept = "".join(c for c in parts if c not in _TONES)
        for c in parts:
            if c in _TONES:
                tone = _TONES[c]
        letters.append(unicodedata.normalize("NFC", kept))
    keys = ["key-" + c for c in letters]
    if tone:
        keys.append("key-tone-" + tone)
    return keys


def key_groups(text, language):
    """`text` as [(characters, key ids)]: the keys that type each character, or each Vietnamese word (its
    tone key comes after its letters) and each Korean syllable, in order; no Shift or layer keys."""
    groups = []
    if language == "vi":
        word = ""
        for ch in text + " ":
            if ch.isalpha():
                word += ch
                continue
            if word:
                groups.append((word, _vietnamese_word(word)))
                word = ""
            groups.append((ch, [KEY_SPACE if ch == " " else "key-" + ch]))
        return groups[:-1]  # the space added to end the last word
    for ch in text:
        if ch == " ":
            groups.append((ch, [KEY_SPACE]))
        elif language == "ko" and _SBASE <= ord(ch) <= 0xD7A3:
            groups.append((ch, ["key-" + j for j in hangul_jamo_keys(ch)]))
        else:
            groups.append((ch, ["key-" + ch]))
    return groups


def keys_for(text, language):
    """The key ids that type `text` on the keyboard of `language`, in order."""
    return [k for _, keys in key_groups(text, language) for k in keys]
