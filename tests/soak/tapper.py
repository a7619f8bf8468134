"""Taps on the X display through one long-lived `xdotool -` process fed commands on stdin.

Starting an xdotool per tap costs tens of milliseconds (more on a loaded machine), which would blur the
gaps between taps; one process reading lines runs each as it arrives. tap_timing.py measures the gaps the
X server actually sees against the ones asked for.
"""

import subprocess
import time


class Tapper:
    def __init__(self):
        self.process = subprocess.Popen(["xdotool", "-"], stdin=subprocess.PIPE, text=True)
        self.press_times = []  # monotonic time each press was handed to xdotool

    def _send(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def tap(self, x, y, hold_ms=60):
        """Moves to (x, y), presses, holds `hold_ms`, releases. Returns when the release is sent."""
        self._send(f"mousemove {int(round(x))} {int(round(y))} mousedown 1")
        self.press_times.append(time.monotonic())
        time.sleep(hold_ms / 1000.0)
        self._send("mouseup 1")

    def tap_at(self, when, x, y, hold_ms=60):
        """As tap, pressing at monotonic time `when` (at once if that has passed)."""
        while True:
            left = when - time.monotonic()
            if left <= 0:
                break
            time.sleep(left)
        self.tap(x, y, hold_ms)

    def close(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
