"""One kiosk run as the soak sees it: the process, the taps, every layout read, and the figures.

Everything the driver does goes through here: polling layout.json (each new frame is checked for text out
of its box and followed for the still-there countdown), waiting for a newer frame, tapping a target where a
finger would land, finding a key on the keyboard by looking (Shift, layers) and counting what happened.
"""

import collections
import time

from checks import CountdownWatch, TextBoxCheck

POLL_S = 0.02


class KioskDied(Exception):
    pass


class OutOfTime(Exception):
    """The run's time is up (a bounded run, e.g. under CTest): the visit in progress is abandoned."""


class Figures:
    """The soak's counters, summed over every kiosk run."""

    def __init__(self):
        self.c = collections.Counter()
        self.textbox = TextBoxCheck()
        self.countdown = CountdownWatch()
        self.untypeable = collections.Counter()  # key id -> times it was not on any layer
        self.problems = []  # one line per finding, for the report

    def problem(self, text):
        self.problems.append(text)
        print("  !! " + text, flush=True)


class Session:
    def __init__(self, kiosk, tapper, rng, figures, outbox, trace_path):
        self.kiosk = kiosk
        self.trace_file = open(trace_path, "a", encoding="utf-8")
        self.t0 = time.monotonic()
        self.deadline = None  # monotonic time after which every poll raises OutOfTime
        self.screens_seen = set()  # screen names read since the last reset (a visit's start)
        self.outbox = outbox
        self.tapper = tapper
        self.rng = rng
        self.fig = figures
        self.latest = None
        self._nav = {}  # (keyboard ids on screen, key wanted) -> layer/Shift keys that showed it
        self._missing = set()  # keys looked for on every layer and not found

    def reset_keyboard_memory(self):
        """A new visit may have another language: keys missing on the last keyboard may be on this one."""
        self._missing.clear()

    # ---- reading ------------------------------------------------------------------------------------------
    def poll(self):
        """The latest layout; a newer frame than the last one read is checked and followed."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OutOfTime()
        if not self.kiosk.alive():
            raise KioskDied(f"the kiosk exited (status {self.kiosk.process.returncode})")
        layout = self.kiosk.layout()
        if layout is not None and (self.latest is None or layout.frame != self.latest.frame):
            self.fig.textbox.check(layout)
            self.fig.countdown.observe(layout)
            if self.latest is None or layout.key != self.latest.key:
                self.trace_file.write(f"{time.monotonic() - self.t0:9.3f} frame {layout.frame}: {layout.key}\n")
            self.screens_seen.add(layout.screen)
            self.latest = layout
        elif self.latest is not None:
            self.fig.countdown.observe_nothing_new(time.monotonic())
        return self.latest

    def wait(self, predicate, timeout, after_frame=None):
        """Polls until a layout (newer than `after_frame`) satisfies `predicate`; None on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            layout = self.poll()
            if layout is not None and (after_frame is None or layout.frame > after_frame) and predicate(layout):
                return layout
            if time.monotonic() >= deadline:
                return None
            time.sleep(POLL_S)

    def watch(self, seconds):
        """Looks at the screen for `seconds` without touching it."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.poll()
            time.sleep(POLL_S)
        return self.poll()

    def human_gap(self, low=0.2, high=1.5):
        self.watch(self.rng.uniform(low, high))

    # ---- touching -----------------------------------------------------------------------------------------
    def point_in(self, target, spread=0.5):
        """A point a finger would hit: around the centre, within `spread` of the target's size."""
        x = target["x"] + target["w"] * (0.5 + self.rng.uniform(-spread, spread) / 2)
        y = target["y"] + target["h"] * (0.5 + self.rng.uniform(-spread, spread) / 2)
        return x, y

    def tap(self, ident, hold_ms=None, when=None):
        """Taps target `ident` as on the latest layout; returns that layout (None if it is not there)."""
        layout = self.poll()
        target = layout.target(ident) if layout else None
        if target is None:
            return None
        x, y = self.point_in(target)
        hold = hold_ms if hold_ms is not None else self.rng.uniform(60, 110)
        if when is None:
            self.tapper.tap(x, y, hold)
        else:
            self.tapper.tap_at(when, x, y, hold)
        self.fig.c["taps"] += 1
        self.trace(f"tap {ident} at {x:.0f},{y:.0f} held {hold:.0f} ms")
        return layout

    def tap_until(self, ident, done, what, tries=4):
        """Taps `ident` until `done(layout)` holds, as a person taps again when nothing happened. Returns the
        layout that satisfied it, or None. A tap counts as having had no effect only once the kiosk has drawn
        a few frames after it without the change and a moment has passed: a busy kiosk (a font atlas being
        rebuilt) is waited for, not tapped at again."""
        for attempt in range(tries):
            before = self.tap(ident)
            if before is None:
                self.trace(f"{what}: no \"{ident}\" on screen")
                return None
            tapped_at = time.monotonic()
            after = self.wait(
                lambda l: done(l) or (l.frame >= before.frame + 3 and time.monotonic() - tapped_at > 1.5), 20.0,
                before.frame)
            if after is not None and done(after):
                return after
            self.fig.c["taps_without_effect"] += 1
            self.trace(f"{what}: tap {attempt + 1} on {ident} had no effect")
            if attempt + 1 < tries:
                self.human_gap(0.3, 1.0)
                if done(self.poll()):
                    return self.poll()
        self.fig.problem(f"{what}: {tries} taps on \"{ident}\" had no effect (screen {self.poll().key})")
        return None

    def trace(self, text):
        layout = self.latest
        where = f"frame {layout.frame} {layout.key}" if layout else "no layout"
        self.trace_file.write(f"{time.monotonic() - self.t0:9.3f} [{where}] {text}\n")
        self.trace_file.flush()

    # ---- the keyboard -------------------------------------------------------------------------------------
    def find_key(self, key):
        """Makes `key` visible by tapping Shift and layer keys, as a person looks for it. Returns "shown",
        "missing" (on no layer) or "unreached" (a Shift or layer key kept ignoring taps)."""
        # The layout read may be older than the last key's effect (a Shift that has let go after its
        # letter): a fresh frame first, as a person glances at the keys.
        if self.wait(lambda l: l.has(key), 0.8) is not None:
            return "shown"
        if key in self._missing:
            return "missing"
        layout = self.poll()
        cached = self._nav.get((layout.keyboard_ids(), key))
        if cached:
            for nav in cached:
                self._switch(nav)
            if self.poll().has(key):
                return "shown"
        start = self.poll().keyboard_ids()
        path = []  # the switches made since `start`, cached once the key shows
        budget = 10
        tried = set()
        while budget > 0:
            layout = self.poll()
            here = layout.keyboard_ids()
            # Shift first (capitals, Korean doubled consonants), then the layers.
            order = ["key-shift"] + sorted(layout.ids_with_prefix("key-layer"))
            options = [i for i in order if layout.has(i) and (here, i) not in tried]
            if not options:
                break
            nav = options[0]
            tried.add((here, nav))
            budget -= 1
            if not self._switch(nav):
                return "unreached"
            path.append(nav)
            if self.poll().has(key):
                self._nav[(start, key)] = list(path)
                return "shown"
            # Shift on this layer too, then back off it.
            if self.poll().has("key-shift") and nav != "key-shift":
                budget -= 2
                if not self._switch("key-shift"):
                    return "unreached"
                path.append("key-shift")
                if self.poll().has(key):
                    self._nav[(start, key)] = list(path)
                    return "shown"
                if not self._switch("key-shift"):
                    return "unreached"
                path.append("key-shift")
        self._missing.add(key)
        return "missing"

    def _switch(self, nav):
        """Taps a Shift or layer key and waits for the keyboard to change (a person looks before going on)."""
        self.fig.c["keyboard_switch_taps"] += 1
        before = self.poll()
        ids = before.keyboard_ids()
        changed = self.tap_until(nav, lambda l: l.keyboard_ids() != ids or l.screen != before.screen,
                                 f"switching the keyboard with {nav}", tries=4)
        if changed is None:
            return False
        self.watch(self.rng.uniform(0.15, 0.4))
        return True
