"""The real feedback-kiosk as a child process on the current X display, with its automation hook on.

Starts it the way the e2e harness does (tests/e2e/kiosk_harness.cpp): FK_AUTOMATION_DIR set, an empty
XDG_CONFIG_HOME so no stray kiosk.toml changes the run, SDL_VIDEODRIVER unset so taps land on X. Reads the
layout.json it writes after every frame, and stops it with SIGTERM, reporting its exit status.
"""

import json
import os
import signal
import subprocess
import time


class Layout:
    """One parse of layout.json: frame, screen, key, targets by id, texts, and the raw object."""

    def __init__(self, raw):
        self.raw = raw
        self.frame = raw.get("frame", -1)
        self.screen = raw.get("screen", "")
        self.key = raw.get("key", "")
        self.targets = {t["id"]: t for t in raw.get("targets", [])}
        self.texts = [str(t) for t in raw.get("texts", [])]
        self.read_at = time.monotonic()

    def target(self, ident):
        return self.targets.get(ident)

    def has(self, ident):
        return ident in self.targets

    def selected(self, ident):
        t = self.targets.get(ident)
        return bool(t and t.get("selected"))

    def ids_with_prefix(self, prefix):
        return [i for i in self.targets if i.startswith(prefix)]

    def question(self):
        """The question id on a question screen ("question-overall" -> "overall"), else None."""
        if self.screen != "question" or not self.key.startswith("question-"):
            return None
        return self.key[len("question-"):]

    def keyboard_ids(self):
        return frozenset(i for i in self.targets if i.startswith("key-"))


class Kiosk:
    def __init__(self, binary, workdir, name, config_text=None):
        self.binary = binary
        self.dir = os.path.join(workdir, name)
        self.data_dir = os.path.join(self.dir, "data")
        self.automation_dir = os.path.join(self.dir, "auto")
        config_home = os.path.join(self.dir, "xdg-config")
        for d in (self.data_dir, self.automation_dir, config_home):
            os.makedirs(d, exist_ok=True)
        argv = [binary, "--data-dir", self.data_dir]
        if config_text:
            config = os.path.join(self.dir, "kiosk.toml")
            with open(config, "w", encoding="utf-8") as f:
                f.write(config_text)
            argv += ["--config", config]
        env = dict(os.environ)
        env.pop("SDL_VIDEODRIVER", None)  # the X display, where xdotool's taps land
        env["FK_AUTOMATION_DIR"] = self.automation_dir
        env["FK_AUTOMATION_SCREENSHOTS"] = "off"
        env["XDG_CONFIG_HOME"] = config_home
        self.stderr_path = os.path.join(self.dir, "kiosk.stderr")
        self._out = open(os.path.join(self.dir, "kiosk.stdout"), "wb")
        self._err = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=self._out,
                                        stderr=self._err)
        self.layout_path = os.path.join(self.automation_dir, "layout.json")
        self.store_path = os.path.join(self.data_dir, "responses.sqlite")
        self.exit_code = None

    def alive(self):
        return self.process.poll() is None

    def layout(self):
        """The latest layout.json (written whole, then renamed), or None."""
        try:
            with open(self.layout_path, encoding="utf-8") as f:
                return Layout(json.load(f))
        except (OSError, ValueError):
            return None

    def stderr_tail(self, lines=20):
        try:
            with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self, grace=10.0):
        """SIGTERM, then SIGKILL after `grace`; the exit code (128 + signal when a signal ended it)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        code = self.process.returncode
        self.exit_code = 128 - code if code < 0 else code
        self._out.close()
        self._err.close()
        return self.exit_code


class CpuHog:
    """Busy loops on every core while the soak runs (started and stopped by the driver, by pid)."""

    def __init__(self, cores=2, max_seconds=3600):
        # `timeout` ends them even if this driver is killed before it can.
        self.processes = [
            subprocess.Popen(["timeout", str(int(max_seconds)), "sh", "-c", "while :; do :; done"])
            for _ in range(cores)
        ]

    def stop(self):
        for p in self.processes:
            if p.poll() is None:
                p.terminate()
        for p in self.processes:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.processes = []
