#!/usr/bin/env python3
"""Checks of the soak's own checkers, on hand-made inputs (no display, no kiosk): the text-in-box check on
one layout inside and one outside its box (and one without the field), the still-there countdown watch,
Korean and Vietnamese key plans, and the lost-key count. CTest: soak.selftest."""

import random
import sys
import unittest

import texts
from checks import CountdownWatch, TextBoxCheck, answer_differences, lost_keys, rects_outside_box
from kiosk_run import Layout
from typing_plan import hangul_jamo_keys, keys_for


def layout_with(rects, frame=1, screen="question", texts_=()):
    raw = {"frame": frame, "screen": screen, "key": screen, "targets": [], "texts": list(texts_)}
    if rects is not None:
        raw["text_rects"] = rects
    return Layout(raw)


BOX = {"x": 100, "y": 200, "w": 800, "h": 300}


class TextBoxTest(unittest.TestCase):

    def test_a_rect_inside_its_box_passes(self):
        inside = [{"text": "Thank you", "x": 120, "y": 220, "w": 300, "h": 40, "box": BOX}]
        self.assertEqual(rects_outside_box(layout_with(inside).raw), [])

    def test_a_rect_running_out_of_its_box_fails(self):
        outside = [{"text": "a long note", "x": 120, "y": 460, "w": 300, "h": 80, "box": BOX}]  # 40 px below
        self.assertEqual(len(rects_outside_box(layout_with(outside).raw)), 1)

    def test_one_pixel_of_slack(self):
        edge = [{"text": "edge", "x": 99.2, "y": 200, "w": 801.6, "h": 300.9, "box": BOX}]
        self.assertEqual(rects_outside_box(layout_with(edge).raw), [])
        over = [{"text": "over", "x": 98.5, "y": 200, "w": 10, "h": 10, "box": BOX}]
        self.assertEqual(len(rects_outside_box(layout_with(over).raw)), 1)

    def test_a_layout_without_the_field_is_counted_not_passed(self):
        self.assertIsNone(rects_outside_box(layout_with(None).raw))
        check = TextBoxCheck()
        check.check(layout_with(None))
        check.check(layout_with([{"text": "x", "x": 0, "y": 0, "w": 5, "h": 5, "box": BOX}]))
        self.assertEqual((check.layouts, check.without_field, check.outside), (2, 1, 1))


class CountdownTest(unittest.TestCase):

    def frames(self, seconds_and_texts):
        watch = CountdownWatch()
        for i, (at, text) in enumerate(seconds_and_texts):
            layout = layout_with([], frame=i, screen="still_there", texts_=["Are you still there?", text])
            layout.read_at = at
            watch.observe(layout)
        return watch

    def test_a_countdown_that_moves_every_second(self):
        watch = self.frames([(t * 1.0, f"Ending in {20 - t} seconds") for t in range(20)])
        self.assertEqual((watch.seen, watch.frozen), (20, 0))

    def test_a_countdown_that_stands_still(self):
        watch = self.frames([(0.0, "Ending in 15 seconds"), (1.0, "Ending in 15 seconds"),
                             (3.0, "Ending in 15 seconds"), (3.1, "Ending in 14 seconds")])
        self.assertEqual((watch.seen, watch.frozen), (2, 1))


class KeyPlanTest(unittest.TestCase):

    def test_hangul_syllables_decompose_into_the_keys_of_the_2_set_keyboard(self):
        self.assertEqual(hangul_jamo_keys("닭"), ["ㄷ", "ㅏ", "ㄹ", "ㄱ"])
        self.assertEqual(hangul_jamo_keys("뷁"), ["ㅂ", "ㅜ", "ㅔ", "ㄹ", "ㄱ"])
        self.assertEqual(hangul_jamo_keys("와"), ["ㅇ", "ㅗ", "ㅏ"])
        self.assertEqual(hangul_jamo_keys("있"), ["ㅇ", "ㅣ", "ㅆ"])
        self.assertEqual(keys_for("닭 와", "ko"), ["key-ㄷ", "key-ㅏ", "key-ㄹ", "key-ㄱ", "key-space", "key-ㅇ",
                                                  "key-ㅗ", "key-ㅏ"])

    def test_vietnamese_words_are_letters_then_their_tone(self):
        self.assertEqual(keys_for("Việt cảm ơn", "vi"), [
            "key-V", "key-i", "key-ê", "key-t", "key-tone-nang", "key-space", "key-c", "key-a", "key-m",
            "key-tone-hoi", "key-space", "key-ơ", "key-n"
        ])
        self.assertEqual(keys_for("khoẻ!", "vi"), ["key-k", "key-h", "key-o", "key-e", "key-tone-hoi", "key-!"])
        self.assertEqual(keys_for("Đ", "vi"), ["key-Đ"])

    def test_other_scripts_are_one_key_a_character(self):
        self.assertEqual(keys_for("Hi é", "fr"), ["key-H", "key-i", "key-space", "key-é"])
        self.assertEqual(keys_for("شكرا", "ar"), ["key-ش", "key-ك", "key-ر", "key-ا"])


class ComparisonTest(unittest.TestCase):

    def test_lost_and_extra_keys(self):
        self.assertEqual(lost_keys(list("abcdef"), list("abdef")), (1, 0))
        self.assertEqual(lost_keys(list("abc"), list("abxc")), (0, 1))
        self.assertEqual(lost_keys(list("abc"), list("abc")), (0, 0))

    def test_stored_text_is_compared_after_nfc(self):
        payload = {"language": "vi", "partial": False,
                   "answers": [{"question": "thanks_note", "text": "Vie\u0323\u0302t"}, {"question": "overall",
                                                                                          "rating": 5}]}
        self.assertEqual(answer_differences({"thanks_note": "Việt", "overall": 5}, payload, "vi"), [])
        self.assertNotEqual(answer_differences({"thanks_note": "Viet", "overall": 5}, payload, "vi"), [])
        self.assertNotEqual(answer_differences({"thanks_note": "Việt"}, payload, "vi"), [])

    def test_notes_fit_their_limit_in_every_language(self):
        rng = random.Random(3)
        for language in texts.LANGUAGES:
            for length in (20, 80, 250, 500):
                note = texts.note(language, rng, length)
                self.assertTrue(0 < len(note) <= length, (language, length, note))


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=1).result.wasSuccessful() else 1)
