#!/usr/bin/env python3
"""A soak test that behaves like people (issue 12, item 8): runs the real feedback-kiosk on the current X
display (run it under xvfb-run, 1920x1080) with a CPU hog on both cores, plays visits at human timings and
as a prankster, and checks: every visit that reached "thank you" is stored exactly once with exactly the
answers and text typed (NFC); no key lost; nothing stored for a visit that did not reach thank you; the
still-there countdown changes every second; no text outside its box (layout.json's text_rects); no crash.

  soak.py KIOSK short            a few visits in four languages, a prankster, a countdown (CTest: soak.short)
  soak.py KIOSK long [MINUTES]   visits of every kind in all seven languages for MINUTES (default 30)
  soak.py KIOSK keys-lost        1,000 keys into the note at 100 ms and at 60 ms between taps

Prints its figures; exits 1 when a check failed. tests/bench/soak.sh and keys_lost.sh wrap it.
"""

import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time

import people
import texts
from checks import Outbox, lost_keys
from kiosk_run import CpuHog, Kiosk
from session import Figures, KioskDied, OutOfTime, Session
from tapper import Tapper
from typing_plan import keys_for

SHORT_CONFIG = "[visit]\ninactivity_timeout_s = 10\nstill_there_timeout_s = 20\nthank_you_s = 3\n"


class Run:
    """Kiosk runs one after another in one work directory, with the figures summed over them."""

    def __init__(self, binary, workdir, seed, deadline=None):
        self.workdir = workdir
        self.deadline = deadline
        self.started = time.monotonic()
        # A copy: the build tree may be rebuilt under a long run.
        self.binary = os.path.join(workdir, "feedback-kiosk")
        shutil.copy2(binary, self.binary)
        self.rng = random.Random(seed)
        self.fig = Figures()
        self.tapper = Tapper()
        self.runs = 0
        self.session = None

    def start(self, config_text):
        self.runs += 1
        kiosk = Kiosk(self.binary, self.workdir, f"run-{self.runs:02d}", config_text)
        self.session = Session(kiosk, self.tapper, self.rng, self.fig, Outbox(kiosk.store_path),
                               os.path.join(kiosk.dir, "trace.log"))
        self.session.deadline = self.deadline
        first = self.session.wait(lambda l: l.screen == "attract", 60)
        if first is None:
            self.fig.problem(f"run {self.runs}: no attract screen within 60 s\n{kiosk.stderr_tail()}")
        return self.session

    def stop(self):
        """Stops the kiosk (SIGTERM); a non-zero status or a death before it counts as a crash."""
        kiosk = self.session.kiosk
        died = not kiosk.alive()
        code = kiosk.stop()
        if died:
            self.fig.c["crashes"] += 1
            self.fig.problem(f"run {self.runs}: the kiosk died with status {code}\n{kiosk.stderr_tail()}")
        elif code == 128 + 9:
            self.fig.c["slow_exits"] += 1
            self.fig.problem(f"run {self.runs}: the kiosk did not exit within 10 s of SIGTERM (killed)")
        elif code != 0:
            self.fig.c["crashes"] += 1
            self.fig.problem(f"run {self.runs}: the kiosk exited with status {code} on SIGTERM\n"
                             f"{kiosk.stderr_tail()}")
        total, distinct = Outbox(kiosk.store_path).total()
        if total != distinct:
            self.fig.problem(f"run {self.runs}: {total} responses but {distinct} distinct UUIDs")
        self.fig.c["exit_status_checked"] += 1
        return code

    def play(self, visit_fn):
        """One visit; a kiosk that dies is counted and the visit abandoned."""
        s = self.session
        try:
            visit = visit_fn(s)
        except KioskDied as e:
            self.fig.c["crashes"] += 1
            self.fig.problem(f"{e}\n{s.kiosk.stderr_tail()}")
            return None
        except OutOfTime:
            self.fig.c["out_of_time"] += 1
            if self.fig.c["out_of_time"] == 1:
                self.fig.problem(f"out of time: the run's {self.deadline - self.started:.0f} s were up mid-visit; "
                                 "the visits left were not played")
            return None
        people.settle(s, visit)
        tag = "thank you" if visit.reached_thanks else "ended early" if visit.ended_early else "?"
        print(f"  visit {self.fig.c['visits']}: {visit.kind} {visit.language or '-'}: {tag}; "
              f"{len(visit.expected)} answers", flush=True)
        return visit


def human(rng, language, note_length, pause_max_s, **kw):
    plan = people.HumanPlan(rng, language, note_length, pause_max_s, **kw)
    return lambda s: people.human_visit(s, plan)


def play_short(run):
    """Four residents in four languages (one pauses long enough to be asked if still there), one who walks
    away (the countdown is watched to the end of the visit) and a prankster."""
    s = run.start(SHORT_CONFIG)
    rng = run.rng
    plans = []
    for language, pause in (("en", 3.0), ("ko", 0.0), ("vi", 0.0), ("ar", 0.0)):
        plan = people.HumanPlan(rng, language, rng.randint(40, 90), pause)
        plan.thank, plan.skip_chance = True, 0.0
        plans.append(plan)
    plans[1].pauses = {len(plans[1].note) // 2: 13.0}  # past the 10 s inactivity timeout, mid-note
    for plan in plans:
        run.play(lambda s, p=plan: people.human_visit(s, p))
    # A resident who answers two questions and leaves: the countdown is watched until the visit ends.
    walker = people.HumanPlan(rng, "fr", 0, 0.0, abandon=True)
    walker.abandon_after, walker.skip_chance = 2, 0.0
    run.play(lambda s: people.human_visit(s, walker))
    run.play(lambda s: people.prankster_visit(s))
    run.stop()


def play_long(run, minutes):
    end = time.monotonic() + minutes * 60
    languages = []
    segment = 0
    while time.monotonic() < end:
        segment += 1
        # Every other kiosk run asks "still there?" after 10 s, so pauses to think meet it.
        run.start(SHORT_CONFIG if segment % 2 == 0 else None)
        for _ in range(8):
            if time.monotonic() >= end or not run.session.kiosk.alive():
                break
            if not languages:
                languages = list(texts.LANGUAGES)
                run.rng.shuffle(languages)
            r = run.rng.random()
            if r < 0.15:
                run.play(lambda s: people.prankster_visit(s))
                continue
            length = run.rng.choice([run.rng.randint(20, 80)] * 5 + [run.rng.randint(80, 250)] * 3 +
                                    [run.rng.randint(250, 500)] * 2)
            run.play(
                human(run.rng, languages.pop(), length, 40.0, abandon=0.15 <= r < 0.27, start_over=0.27 <= r < 0.32))
        run.stop()


def play_keys_lost(run):
    """For each gap: two notes of 500 lower-case letters and spaces (1,000 keys), typed at exactly that gap,
    sent, and compared with what was stored."""
    results = []
    for gap_ms in (100, 60):
        s = run.start("[visit]\nthank_you_s = 3\n")
        typed = lost = extra = unstored = 0
        gaps = []
        for _ in range(2):
            text = texts.filler(run.rng, 500)
            plan = people.HumanPlan(run.rng, "en", 0, 0.0)
            plan.thank, plan.skip_chance, plan.name = True, 0.0, ""
            plan.ratings = {q: 5 for q in ("overall", "listened", "next_steps", "above_beyond")}
            plan.note = text
            plan.key_gap = (gap_ms / 1000, gap_ms / 1000)
            plan.key_hold_ms = (min(45.0, gap_ms / 2), ) * 2
            press_start = len(run.tapper.press_times)
            visit = run.play(lambda s_: people.human_visit(s_, plan))
            presses = run.tapper.press_times[press_start:]
            gaps += [b - a for a, b in zip(presses, presses[1:]) if b - a < 0.5]
            if visit is None or not visit.stored:
                unstored += 1  # the whole visit was lost: counted apart, not as 500 lost keys
                continue
            typed += len(text)
            stored_text = stored_note(visit)
            l, e = lost_keys(keys_for(text, "en"), keys_for(stored_text, "en"))
            lost, extra = lost + l, extra + e
        run.stop()
        mean = sum(gaps) / len(gaps) * 1000 if gaps else 0
        results.append((gap_ms, typed, lost, extra, unstored, mean, min(gaps) * 1000 if gaps else 0,
                        max(gaps) * 1000 if gaps else 0))
    return results


def stored_note(visit):
    """The thank-you note of the one response a visit stored ("" when it stored none)."""
    for payload in visit.stored[:1]:
        for a in payload.get("answers", []):
            if a.get("question") == "thanks_note":
                return a.get("text", "")
    return ""


def report(fig, minutes, hog):
    c = fig.c
    tb = fig.textbox
    print(f"\nsoak figures ({minutes:.1f} min, {'a CPU hog on both cores' if hog else 'no CPU hog'}):")
    print(f"  visits played:            {c['visits']} ({c['visits_human']} residents, {c['visits_prankster']} "
          f"pranksters; {c['walked_away']} left to time out; {c['prankster_bursts']} prankster bursts)")
    print(f"  reached thank you:        {c['reached_thanks']}")
    print(f"  stored:                   {c['stored']}")
    print(f"  mismatches:               {c['mismatches']}")
    print(f"  stored without thank you: {c['stored_without_thanks']} (prankster completed a visit: "
          f"{c['prankster_completed']}; sent and stored but the thank-you screen gone within a frame: "
          f"{c['thank_you_unseen']})")
    print(f"  keys typed/lost:          {c['keys_typed']}/{c['keys_lost']} (extra keys stored: {c['keys_extra']}; "
          f"behind a Shift or layer key that ignored taps: {c['keys_unreached']}; "
          f"visits lost while typing: {c['visits_lost_while_typing']})")
    missing = ", ".join(f"{k[4:]!r} x{n}" for k, n in sorted(fig.untypeable.items())) or "none"
    print(f"  characters with no key:   {missing}")
    print(f"  countdown seconds seen/frozen: {fig.countdown.seen}/{fig.countdown.frozen} "
          f"(still-there screens: {fig.countdown.screens}; asked while typing: {c['still_there_while_typing']})")
    if tb.without_field:
        print(f"  text-outside-box count:   UNCHECKED: {tb.without_field} of {tb.layouts} layouts have no "
              f"\"text_rects\" field (this build's automation hook does not report text rectangles)")
    else:
        print(f"  text-outside-box count:   {tb.outside} (in {tb.layouts} layouts)")
    for e in tb.examples:
        print(f"      e.g. on {e[0]}: {e[1]!r} at {e[2]} outside {e[3]}")
    print(f"  crashes:                  {c['crashes']} (kiosk runs: {c['exit_status_checked']}; killed after not "
          f"exiting within 10 s of SIGTERM: {c['slow_exits']})")
    print(f"  taps: {c['taps']}, with no effect (tapped again): {c['taps_without_effect']}, answers that needed "
          f"Next: {c['answers_needing_next']}, keyboard switches: {c['keyboard_switch_taps']}")


def failures(fig, expect_countdown):
    c = fig.c
    out = []
    if fig.textbox.without_field:
        out.append(f"layout.json has no \"text_rects\" field ({fig.textbox.without_field} layouts): "
                   "text outside its box cannot be checked")
    if fig.textbox.outside:
        out.append(f"{fig.textbox.outside} text rectangles outside their box")
    if c["thank_you_unseen"]:
        out.append(f"{c['thank_you_unseen']} visits stored whose thank-you screen was gone within a frame")
    if c["mismatches"] or c["stored"] != c["reached_thanks"] - c["prankster_completed"] + c["thank_you_unseen"]:
        out.append(f"{c['mismatches']} mismatches; {c['stored']} stored for {c['reached_thanks']} thank-yous")
    if c["keys_lost"] or c["keys_extra"]:
        out.append(f"{c['keys_lost']} keys lost, {c['keys_extra']} extra")
    if fig.untypeable:
        out.append(f"characters with no key: {sorted(k[4:] for k in fig.untypeable)}")
    if c["stored_without_thanks"] or c["prankster_completed"]:
        out.append(f"{c['stored_without_thanks']} stored without thank you, {c['prankster_completed']} visits "
                   "completed by a prankster")
    if c["visits_lost_while_typing"]:
        out.append(f"{c['visits_lost_while_typing']} visits lost while typing")
    if fig.countdown.frozen or (expect_countdown and fig.countdown.seen < 15):
        out.append(f"countdown: {fig.countdown.seen} seconds seen, {fig.countdown.frozen} frozen")
    if c["crashes"] or c["slow_exits"]:
        out.append(f"{c['crashes']} crashes, {c['slow_exits']} exits that needed SIGKILL")
    if c["out_of_time"]:
        out.append("out of time before every visit was played")
    if fig.problems and not out:
        out.append(f"{len(fig.problems)} other problems (listed above)")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kiosk")
    parser.add_argument("mode", choices=["short", "long", "keys-lost"])
    parser.add_argument("minutes", nargs="?", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--no-hog", action="store_true", help="without the CPU hog")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (data, logs)")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds after which the visit in progress is abandoned and the figures printed "
                        "(short: 480)")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("soak.py: no DISPLAY (run it under xvfb-run -a -s \"-screen 0 1920x1080x24\")")
    # CTest's timeout and kill: leave through `finally`, so the hog and the kiosk are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = tempfile.mkdtemp(prefix="fk-soak-")
    started = time.monotonic()
    hog = None if args.no_hog else CpuHog(2, max_seconds=args.minutes * 60 + 1800)
    limit = args.time_limit if args.time_limit is not None else 480 if args.mode == "short" else None
    run = Run(args.kiosk, workdir, args.seed, started + limit if limit else None)
    try:
        if args.mode == "short":
            play_short(run)
        elif args.mode == "long":
            play_long(run, args.minutes)
        else:
            results = play_keys_lost(run)
    except SystemExit:  # SIGTERM: the figures so far are still worth printing
        run.fig.problem("stopped by SIGTERM")
        results = []
    finally:
        if hog:
            hog.stop()
        run.tapper.close()
        if run.session and run.session.kiosk.exit_code is None:
            run.session.deadline = None
            run.stop()
    elapsed = (time.monotonic() - started) / 60
    if args.mode == "keys-lost":
        print(f"\nkeys lost per 1,000 typed into the note (CPU hog on both cores: {not args.no_hog}):")
        ok = True
        for gap, typed, lost, extra, unstored, mean, low, high in results:
            per = lost * 1000 / typed if typed else float("nan")
            print(f"  {gap} ms between taps: {per:.0f} lost per 1,000 ({lost} of {typed} in the stored notes; "
                  f"{extra} extra; notes of 500 whose visit stored nothing: {unstored}); "
                  f"gaps handed to xdotool: mean {mean:.1f} ms, {low:.0f}-{high:.0f} ms")
            ok = ok and typed == 1000 and lost == 0 and extra == 0
        report(run.fig, elapsed, not args.no_hog)
    else:
        report(run.fig, elapsed, not args.no_hog)
        bad = failures(run.fig, expect_countdown=True)
        for line in bad:
            print("FAIL: " + line)
        ok = not bad
    if args.keep or not ok:
        print(f"work directory kept: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
