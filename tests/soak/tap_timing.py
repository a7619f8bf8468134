#!/usr/bin/env python3
"""Are the gaps between taps the gaps the X server sees? Opens a full-screen window of its own, taps it
through the soak's Tapper at 100, 60 and 30 ms, and compares the server's timestamps of the button presses
(XButtonEvent.time, in ms) with the gaps asked for. Exits 1 when a mean is off by more than 5 ms or more
than one gap in ten by more than 15 ms (a loaded 2-core machine deschedules the odd tap; the worst is printed). Needs an X display (xvfb-run) and libX11; `--hog` runs it beside a CPU hog.
"""

import ctypes
import ctypes.util
import signal
import statistics
import sys
import threading
import time

from kiosk_run import CpuHog
from tapper import Tapper

BUTTON_PRESS, BUTTON_RELEASE = 4, 5


class _XButtonEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("root", ctypes.c_ulong),
                ("subwindow", ctypes.c_ulong), ("time", ctypes.c_ulong), ("x", ctypes.c_int), ("y", ctypes.c_int)]


class _XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xbutton", _XButtonEvent), ("pad", ctypes.c_long * 24)]


class PressRecorder:
    """A window covering the screen that records the server time of every button press and release."""

    def __init__(self):
        x = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11"))
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XCreateSimpleWindow.restype = ctypes.c_ulong
        x.XCreateSimpleWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong] + [ctypes.c_int] * 2 + \
            [ctypes.c_uint] * 3 + [ctypes.c_ulong] * 2
        x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        x.XMapRaised.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        x.XFlush.argtypes = [ctypes.c_void_p]
        x.XPending.argtypes = [ctypes.c_void_p]
        x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.x = x
        self.display = x.XOpenDisplay(None)
        if not self.display:
            raise RuntimeError("cannot open the X display")
        window = x.XCreateSimpleWindow(self.display, x.XDefaultRootWindow(self.display), 0, 0, 1920, 1080, 0, 0, 0)
        x.XSelectInput(self.display, window, (1 << 2) | (1 << 3))  # ButtonPress, ButtonRelease
        x.XMapRaised(self.display, window)
        x.XFlush(self.display)
        time.sleep(0.5)

    def record(self, count, timeout):
        presses, releases = [], []
        event = _XEvent()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(releases) < count:
            if self.x.XPending(self.display):
                self.x.XNextEvent(self.display, ctypes.byref(event))
                if event.type == BUTTON_PRESS:
                    presses.append(event.xbutton.time)
                elif event.type == BUTTON_RELEASE:
                    releases.append(event.xbutton.time)
            else:
                time.sleep(0.001)
        return presses, releases

    def close(self):
        self.x.XCloseDisplay(self.display)


def measure(recorder, tapper, gap_ms, count=40):
    """Taps `count` times `gap_ms` apart (as the soak schedules them) and returns the server's gaps."""

    def drive():
        when = time.monotonic() + 0.2
        for i in range(count):
            tapper.tap_at(when, 200 + (i % 40) * 10, 300, min(45.0, gap_ms / 3))
            when = tapper.press_times[-1] + gap_ms / 1000

    thread = threading.Thread(target=drive)
    thread.start()
    presses, releases = recorder.record(count, count * gap_ms / 1000 + 5)
    thread.join()
    return [b - a for a, b in zip(presses, presses[1:])], len(presses), len(releases)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    hog = CpuHog(2, 120) if "--hog" in sys.argv else None
    recorder = PressRecorder()
    tapper = Tapper()
    ok = True
    try:
        for gap_ms in (100, 60, 30):
            gaps, presses, releases = measure(recorder, tapper, gap_ms)
            if len(gaps) < 2:
                print(f"{gap_ms} ms: only {presses} presses and {releases} releases arrived")
                ok = False
                continue
            mean = statistics.mean(gaps)
            off = sorted(abs(g - gap_ms) for g in gaps)
            ninetieth = off[int(len(off) * 0.9) - 1]
            good = presses == releases == len(gaps) + 1 and abs(mean - gap_ms) <= 5 and ninetieth <= 15
            ok = ok and good
            print(f"asked {gap_ms} ms between taps: the X server saw mean {mean:.1f} ms, {min(gaps)}-{max(gaps)} ms "
                  f"(sd {statistics.pstdev(gaps):.1f}) over {presses} presses, {releases} releases"
                  f"{'' if good else '  <-- off'}")
    finally:
        tapper.close()
        recorder.close()
        if hog:
            hog.stop()
    print("tap timing: " + ("ok" if ok else "FAILED") + (" (beside a CPU hog on both cores)" if hog else ""))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
