"""Visits as people make them, driven by what is on screen.

- A resident (HumanPlan): picks a language on the attract screen, answers at 200-1,500 ms between taps,
  sometimes skips, types a note (at 8-10 keys a second, with pauses to think) and a name on the on-screen
  keyboard, and sends; some walk away mid-visit (the visit must time out and store nothing) and some press
  "Start over" (answering a confirmation if one is asked).
- A prankster: bursts of 10-20 taps at 30-120 ms on one spot or anywhere, then leaves.
Every step reads the screen and acts on it: an answer that stays selected gets "Next", a tap that changed
nothing is tapped again, "Are you still there?" gets "continue" from a resident who is still there.
"""

import time

import texts
from checks import answer_differences, lost_keys, nfc
from typing_plan import key_groups, keys_for

# A question's answer area, told apart by the targets it shows.
RATING, YES_NO, CHOICES, TEXT = "rating", "yes_no", "choices", "text"


def question_kind(layout):
    if layout.ids_with_prefix("rating-"):
        return RATING
    if layout.has("yes") and layout.has("no"):
        return YES_NO
    if layout.ids_with_prefix("choice-"):
        return CHOICES
    if layout.has("key-space"):
        return TEXT
    return None


class HumanPlan:
    def __init__(self, rng, language, note_length, pause_max_s, abandon=False, start_over=False):
        self.language = language
        self.ratings = {}  # drawn as questions appear
        self.rng = rng
        self.thank = rng.random() < 0.75
        self.note = texts.note(language, rng, note_length) if note_length else ""
        self.name = texts.name(language, rng)
        self.skip_chance = 0.08
        self.key_gap = (0.100, 0.125)  # 8-10 keys a second
        self.key_hold_ms = (45, 75)
        # A pause to think somewhere in the note (a tenth of notes pause twice).
        self.pauses = {}
        if self.note and pause_max_s > 0 and rng.random() < 0.5:
            for _ in range(2 if rng.random() < 0.1 else 1):
                self.pauses[rng.randrange(len(self.note))] = rng.uniform(min(2.0, pause_max_s), pause_max_s)
        self.abandon_after = rng.randint(1, 4) if abandon else None  # questions answered, then gone
        self.start_over_after = rng.randint(1, 3) if start_over else None

    def rating(self, question):
        if question not in self.ratings:
            self.ratings[question] = self.rng.choices([1, 2, 3, 4, 5], [10, 10, 20, 30, 30])[0]
        return self.ratings[question]


class Visit:
    """What happened in one visit, and what must be in the store because of it."""

    def __init__(self, kind, language):
        self.kind = kind
        self.language = language
        self.expected = {}  # question id -> answer the kiosk accepted
        self.expected_keys = {}  # question id -> key ids of the typed text
        self.reached_thanks = False
        self.ended_early = False  # walked away / started over / interrupted
        self.lost_while_typing = False
        self.stored = []  # the payloads stored because of it
        self.sent = False  # "Next" was pressed on the last question ("Send")


def wait_for_attract(s, timeout):
    """Waits until the attract screen is up (closing the help overlay if someone left it open)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        layout = s.poll()
        if layout is not None and layout.screen == "attract" and layout.has("start"):
            return layout
        if layout is not None and layout.has("close-help") and layout.screen != "attract":
            s.tap("close-help")
            s.watch(0.5)
        s.watch(0.1)
    return None


def press_next(s, visit, what):
    """"Next"/"Skip"/"Send" until the screen moves on ("Send" may ignore taps for a moment)."""
    before = s.poll()
    after = s.tap_until("next", lambda l: l.key != before.key, what, tries=5)
    if after is not None and after.screen != "question":
        visit.sent = after.screen in ("thank_you", "attract")
    return after


def answer(s, visit, target, value, question):
    """Taps an answer; when it stays on screen selected (answered too fast to move on), presses Next."""
    before = s.poll()
    after = s.tap_until(target, lambda l: l.key != before.key or l.selected(target), f"answering {question}")
    if after is None:
        return False
    visit.expected[question] = value
    if after.key == before.key:  # selected, still here
        s.fig.c["answers_needing_next"] += 1
        s.trace(f"{target} stayed selected on {question}: Next")
        s.human_gap()
        press_next(s, visit, f"moving on from {question}")
    return True


def type_text(s, visit, question, text, pauses, key_gap=(0.100, 0.125), hold=(45, 75)):
    """Types `text` key by key at `key_gap` seconds between taps, pausing where `pauses` says; returns the
    text the kiosk should now hold (characters with no key on any layer left out), or None when the visit
    left the screen for good."""
    typed = ""
    groups = key_groups(text, visit.language)
    position = 0
    next_at = time.monotonic() + s.rng.uniform(1.0, 2.5)  # reads the question first
    for chars, keys in groups:
        for i in range(position, position + len(chars)):
            if i in pauses:
                s.fig.c["typing_pauses"] += 1
                s.watch(max(0.0, next_at - time.monotonic()) + pauses[i])
                next_at = time.monotonic()
        position += len(chars)
        group_ok = True
        for key in keys:
            layout = s.poll()
            if layout.question() != question:
                if not back_on_question(s, visit, question):
                    return None
                next_at = time.monotonic() + s.rng.uniform(0.4, 1.0)
                layout = s.poll()
            if not layout.has(key):
                found = s.find_key(key)
                if found == "missing":
                    s.fig.untypeable[key] += 1
                    group_ok = False
                    break
                if found == "unreached":
                    # The kiosk ignored the Shift or layer taps: the resident meant these keys, so they
                    # count as typed, and lost unless they reach the store after all.
                    left = len(keys) - keys.index(key)
                    s.fig.c["keys_typed"] += left
                    s.fig.c["keys_unreached"] += left
                    break
                # The keyboard changed: the key is found by eye, once the keyboard has stopped changing
                # (a switch tap the kiosk takes late must not turn the next letter into another one).
                s.watch(0.3)
                if not s.poll().has(key) and s.find_key(key) != "shown":
                    s.fig.c["keys_typed"] += 1
                    s.fig.c["keys_unreached"] += 1
                    break
                next_at = max(next_at, time.monotonic())
            s.tap(key, hold_ms=s.rng.uniform(*hold), when=next_at)
            s.fig.c["keys_typed"] += 1
            next_at = s.tapper.press_times[-1] + s.rng.uniform(*key_gap)
        if group_ok:
            typed += chars
    return typed


def back_on_question(s, visit, question):
    """The screen left the question mid-typing: a resident who sees "Are you still there?" says so and goes
    on; anything else ends the visit's typing. True when the question is back."""
    layout = s.poll()
    if layout.screen == "still_there":
        s.fig.c["still_there_while_typing"] += 1
        s.human_gap(0.6, 1.5)
        back = s.tap_until("continue", lambda l: l.screen != "still_there", "saying I am still there")
        if back is not None and back.question() == question:
            s.human_gap(0.3, 0.8)
            return True
    visit.lost_while_typing = True
    s.fig.problem(f"{visit.language}: the note screen went away mid-typing (now {s.poll().key})")
    return False


def human_visit(s, plan, visit_timeout=600):
    s.reset_keyboard_memory()
    visit = Visit("human", plan.language)
    s.trace(f"a resident in {plan.language}: note of {len(plan.note)}, pauses {plan.pauses}, "
            f"abandon after {plan.abandon_after}, start over after {plan.start_over_after}")
    if wait_for_attract(s, 120) is None:
        s.fig.problem(f"no attract screen before a visit (screen {s.poll().key})")
        visit.ended_early = True
        return visit
    s.human_gap(0.5, 2.0)
    lang = "lang-" + plan.language
    if s.poll().has(lang) and not s.poll().selected(lang):
        s.tap_until(lang, lambda l: l.selected(lang), "choosing " + plan.language)
        s.human_gap()
    s.screens_seen.clear()
    if s.tap_until("start", lambda l: l.screen != "attract", "starting a visit") is None:
        visit.ended_early = True
        return visit
    answered = 0
    started_over = False
    typed_on = set()
    deadline = time.monotonic() + visit_timeout
    while time.monotonic() < deadline:
        layout = s.poll()
        if "thank_you" in s.screens_seen:
            visit.reached_thanks = True
            return visit
        if layout.screen == "attract":
            if not (started_over or plan.abandon_after is not None):
                s.fig.problem(f"{plan.language}: back on the attract screen mid-visit (after {answered} answers)")
            visit.ended_early = True
            return visit
        if layout.screen == "still_there":
            s.human_gap()
            s.tap_until("continue", lambda l: l.screen != "still_there", "saying I am still there")
            continue
        confirm = confirmation(layout)
        if confirm:
            s.human_gap()
            s.tap(confirm)
            s.watch(1.0)
            continue
        question = layout.question()
        if question is None:
            s.watch(0.2)
            continue
        if plan.abandon_after is not None and answered >= plan.abandon_after:
            visit.ended_early = True
            walk_away(s, visit)
            return visit
        if plan.start_over_after is not None and answered >= plan.start_over_after and not started_over:
            started_over = True
            s.human_gap()
            s.tap("start-over")
            s.watch(1.0)
            continue
        s.human_gap()
        kind = question_kind(s.poll())
        if kind == TEXT:
            value = plan.note if "note" in question else plan.name if question == "employee" else ""
            if question in typed_on:  # typed already; "Next" did not move on last time
                value = ""
            typed_on.add(question)
            if value:
                typed = type_text(s, visit, question, value, plan.pauses if value is plan.note else {},
                                  plan.key_gap, plan.key_hold_ms)
                if typed is None:  # what the kiosk holds is unknown now: leave, and nothing may be stored
                    visit.ended_early = True
                    walk_away(s, visit)
                    return visit
                if typed:
                    visit.expected[question] = typed
                    visit.expected_keys[question] = keys_for(typed, plan.language)
                s.human_gap(0.5, 2.0)
            press_next(s, visit, f"leaving {question}")
        elif kind is None or s.rng.random() < plan.skip_chance:
            press_next(s, visit, f"skipping {question}")
        elif kind == RATING:
            n = plan.rating(question)
            answer(s, visit, f"rating-{n}", n, question)
        elif kind == YES_NO:
            answer(s, visit, "yes" if plan.thank else "no", plan.thank, question)
        elif kind == CHOICES:
            choose(s, visit, question)
        answered += 1
    s.fig.problem(f"{plan.language}: the visit did not end within {visit_timeout} s (screen {s.poll().key})")
    visit.ended_early = True
    return visit


def confirmation(layout):
    """The target that ends the visit on an "End this visit now?" question, if one is shown."""
    for ident in layout.targets:
        if ident.startswith("end-") and ("yes" in ident or "confirm" in ident):
            return ident
    return None


def choose(s, visit, question):
    layout = s.poll()
    choices = layout.ids_with_prefix("choice-")
    picked = s.rng.sample(choices, min(len(choices), s.rng.randint(1, 2)))
    for ident in picked:
        s.tap_until(ident, lambda l, i=ident: l.selected(i) or l.key != layout.key, "choosing " + ident)
        if s.poll().key != layout.key:  # a single choice moves on by itself
            break
        s.human_gap()
    chosen = sorted(i[len("choice-"):] for i in s.poll().ids_with_prefix("choice-") if s.poll().selected(i))
    if s.poll().key == layout.key:
        if chosen:
            visit.expected[question] = chosen
        press_next(s, visit, f"leaving {question}")
    else:
        visit.expected[question] = sorted(i[len("choice-"):] for i in picked[:1])


def walk_away(s, visit, timeout=200):
    """Leaves the kiosk alone until it is back on the attract screen (watching the countdown)."""
    s.fig.c["walked_away"] += 1
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        layout = s.watch(0.2)
        if "thank_you" in s.screens_seen:
            visit.reached_thanks = True
        if layout.screen == "attract":
            return True
    s.fig.problem(f"the kiosk was not back on the attract screen {timeout} s after a visit was left")
    return False


def prankster_visit(s):
    visit = Visit("prankster", "")
    if wait_for_attract(s, 120) is None:
        visit.ended_early = True
        return visit
    s.trace("a prankster")
    s.screens_seen.clear()
    s.watch(s.rng.uniform(0.3, 1.0))
    if s.rng.random() < 0.7:
        s.tap_until("start", lambda l: l.screen != "attract", "a prankster starting")
        s.watch(s.rng.uniform(0.2, 1.0))
    for _ in range(s.rng.randint(1, 3)):
        burst(s)
        s.watch(s.rng.uniform(0.5, 2.5))
    walk_away(s, visit)
    visit.reached_thanks = "thank_you" in s.screens_seen
    visit.ended_early = not visit.reached_thanks
    return visit


def burst(s):
    """10-20 taps at 30-120 ms: on one spot (the middle of whatever is there, or anywhere), or all over."""
    s.fig.c["prankster_bursts"] += 1
    layout = s.poll()
    s.trace("a burst")
    count = s.rng.randint(10, 20)
    width, height = 1920, 1080
    if s.rng.random() < 0.6:
        targets = [t for t in layout.targets.values() if not t["id"].startswith("help")]
        spot = s.point_in(s.rng.choice(targets), 0.3) if targets and s.rng.random() < 0.8 else (
            s.rng.uniform(0, width), s.rng.uniform(0, height))
        spots = [spot] * count
    else:
        spots = [(s.rng.uniform(0, width), s.rng.uniform(0, height)) for _ in range(count)]
    when = time.monotonic()
    for x, y in spots:
        gap = s.rng.uniform(0.030, 0.120)
        s.tapper.tap_at(when, x, y, min(25.0, gap * 1000 / 3))
        s.fig.c["taps"] += 1
        when = s.tapper.press_times[-1] + gap
        s.poll()


def settle(s, visit):
    """After a visit: what reached the store because of it, checked against what was answered and typed."""
    rows = s.outbox.new_rows()
    visit.stored = [payload for _, _, _, payload in rows]
    fig = s.fig
    fig.c["visits"] += 1
    fig.c[f"visits_{visit.kind}"] += 1
    if visit.reached_thanks:
        fig.c["reached_thanks"] += 1
        if visit.kind == "prankster":
            fig.c["prankster_completed"] += 1
            fig.problem(f"a prankster's burst completed a visit ({len(rows)} stored)")
    if visit.reached_thanks and visit.kind != "prankster":
        fig.c["stored"] += len(rows)
        if len(rows) != 1:
            fig.c["mismatches"] += 1
            fig.problem(f"{visit.language}: reached thank you, {len(rows)} responses stored (expected 1)")
        for _, _, _, payload in rows[:1]:
            diffs = answer_differences(visit.expected, payload, visit.language)
            if diffs:
                fig.c["mismatches"] += 1
                fig.problem(f"{visit.language}: stored response differs: " + "; ".join(diffs))
            for question, keys in visit.expected_keys.items():
                got = next((a.get("text", "") for a in payload.get("answers", []) if a.get("question") == question),
                           "")
                lost, extra = lost_keys(keys, keys_for(nfc(got), visit.language))
                fig.c["keys_lost"] += lost
                fig.c["keys_extra"] += extra
    elif rows and visit.kind != "prankster" and visit.sent:
        # Sent, stored, but no thank-you screen was read: it was gone within a frame (a tap taken twice), so
        # the resident never saw it either. Counted apart; the answers are still compared.
        fig.c["thank_you_unseen"] += 1
        fig.c["stored"] += len(rows)
        fig.problem(f"{visit.language}: stored after Send, but the thank-you screen was never read (gone within "
                    "a frame)")
        for _, _, _, payload in rows[:1]:
            diffs = answer_differences(visit.expected, payload, visit.language)
            if diffs:
                fig.c["mismatches"] += 1
                fig.problem(f"{visit.language}: stored response differs: " + "; ".join(diffs))
    elif rows and visit.kind != "prankster":
        fig.c["stored_without_thanks"] += len(rows)
        fig.problem(f"{visit.language}: {len(rows)} response(s) stored for a visit that never reached thank you")
    elif rows and not visit.reached_thanks:
        fig.c["stored_without_thanks"] += len(rows)
        fig.problem(f"a prankster's visit stored {len(rows)} response(s) without a thank-you screen")
    if visit.lost_while_typing:
        fig.c["visits_lost_while_typing"] += 1
