"""What the soak checks on every layout it reads and on the kiosk's store after every visit.

- TextBoxCheck: every rectangle in layout.json's "text_rects" lies inside its "box" (1 px slack); a layout
  without the field is counted as such, and the run fails loudly on it (the field is what makes "no text
  drawn outside its box" checkable at all).
- CountdownWatch: while "Are you still there?" is shown, its countdown text changes every second.
- Outbox: the responses the kiosk committed to <data-dir>/responses.sqlite, read after each visit.
- lost_keys: keys asked for against keys that made it into the stored text.
"""

import json
import re
import sqlite3
import unicodedata

SLACK_PX = 1.0


def rects_outside_box(raw_layout):
    """The text_rects entries of one layout.json object that stick out of their box by more than 1 px.

    Returns None when the layout has no "text_rects" field at all."""
    rects = raw_layout.get("text_rects")
    if rects is None:
        return None
    outside = []
    for r in rects:
        box = r.get("box") or {}
        try:
            x, y, w, h = (float(r[k]) for k in ("x", "y", "w", "h"))
            bx, by, bw, bh = (float(box[k]) for k in ("x", "y", "w", "h"))
        except (KeyError, TypeError, ValueError):
            outside.append(r)  # a rectangle without a readable box cannot be shown to be inside it
            continue
        if (x < bx - SLACK_PX or y < by - SLACK_PX or x + w > bx + bw + SLACK_PX or
                y + h > by + bh + SLACK_PX):
            outside.append(r)
    return outside


class TextBoxCheck:
    def __init__(self):
        self.layouts = 0
        self.without_field = 0
        self.outside = 0  # rectangles outside their box, summed over layouts
        self.examples = []  # a few (screen key, text, rect, box) for the report

    def check(self, layout):
        self.layouts += 1
        outside = rects_outside_box(layout.raw)
        if outside is None:
            self.without_field += 1
            return
        self.outside += len(outside)
        for r in outside:
            if len(self.examples) < 5:
                self.examples.append((layout.key, r.get("text"), {k: r.get(k) for k in "xywh"}, r.get("box")))


_DIGITS = re.compile(r"\d+")


class CountdownWatch:
    """Follows the still-there screen's countdown across the frames read while it is shown."""

    FROZEN_AFTER_S = 1.5  # a text on screen longer than this has missed a second

    def __init__(self):
        self.seen = 0  # distinct countdown values shown
        self.frozen = 0  # times one value stayed longer than FROZEN_AFTER_S
        self.screens = 0
        self._text = None
        self._since = None
        self._last_read = None

    @staticmethod
    def countdown_text(layout):
        for t in layout.texts:
            if _DIGITS.search(t):
                return t
        return None

    def observe(self, layout):
        if layout.screen != "still_there":
            self._close()
            return
        text = self.countdown_text(layout)
        now = layout.read_at
        if self._text is None and self._since is None:
            self.screens += 1
        if text != self._text:
            if self._text is not None and now - self._since > self.FROZEN_AFTER_S:
                self.frozen += 1
            if text is not None:
                self.seen += 1
            self._text, self._since = text, now
        self._last_read = now

    def observe_nothing_new(self, now):
        """Called when a poll found no new frame: a countdown whose text has not changed for too long is
        frozen even if no frame at all is drawn."""
        if self._text is not None and now - self._since > self.FROZEN_AFTER_S + 0.5:
            self.frozen += 1
            self._since = now  # count each further stuck second once

    def _close(self):
        self._text, self._since = None, None


class Outbox:
    """Reads the kiosk's SQLite outbox (schema: sync/store/migrations.cpp) without writing to it."""

    def __init__(self, path):
        self.path = path
        self.last_seq = 0

    def new_rows(self):
        """Responses committed since the last call: [(seq, uuid, partial, payload dict)]."""
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
        except sqlite3.Error:
            return []
        try:
            rows = db.execute("SELECT seq, uuid, partial, payload FROM responses WHERE seq > ? ORDER BY seq",
                              (self.last_seq, )).fetchall()
        except sqlite3.Error:
            rows = []  # no table yet: nothing stored
        finally:
            db.close()
        out = []
        for seq, uuid, partial, payload in rows:
            self.last_seq = max(self.last_seq, seq)
            if isinstance(payload, bytes):
                payload = payload.decode("utf-8")
            out.append((seq, uuid, bool(partial), json.loads(payload)))
        return out

    def total(self):
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
            try:
                return db.execute("SELECT COUNT(*), COUNT(DISTINCT uuid) FROM responses").fetchone()
            finally:
                db.close()
        except sqlite3.Error:
            return (0, 0)


def nfc(text):
    return unicodedata.normalize("NFC", text)


def stored_answers(payload):
    """{question id: value} from a stored payload (rating int, yes bool, sorted choice ids, text)."""
    out = {}
    for a in payload.get("answers", []):
        q = a.get("question")
        if "rating" in a:
            out[q] = a["rating"]
        elif "yes" in a:
            out[q] = a["yes"]
        elif "choices" in a:
            out[q] = sorted(a["choices"])
        elif "text" in a:
            out[q] = nfc(a["text"])
        else:
            out[q] = {k: v for k, v in a.items() if k != "question"}
    return out


def answer_differences(expected, payload, language):
    """Human-readable differences between what a visit answered and what was stored ([] when equal)."""
    diffs = []
    if payload.get("language") != language:
        diffs.append(f"language {payload.get('language')!r}, expected {language!r}")
    if payload.get("partial"):
        diffs.append("stored as partial")
    got = stored_answers(payload)
    want = {q: (nfc(v) if isinstance(v, str) else sorted(v) if isinstance(v, list) else v)
            for q, v in expected.items()}
    for q in sorted(set(got) | set(want)):
        if got.get(q) != want.get(q):
            diffs.append(f"{q}: stored {got.get(q)!r}, typed/answered {want.get(q)!r}")
    return diffs


def lcs_length(a, b):
    """Length of the longest common subsequence of two sequences (O(len(a) * len(b)), fine for notes)."""
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def lost_keys(expected_keys, stored_keys):
    """(keys lost, keys extra): keys asked for that are not in what was stored, and keys stored that were
    never asked for, after the best alignment of the two key sequences."""
    common = lcs_length(expected_keys, stored_keys)
    return len(expected_keys) - common, len(stored_keys) - common
