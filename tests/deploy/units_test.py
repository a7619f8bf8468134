#!/usr/bin/env python3
"""The shipped systemd units, checked by systemd itself: `systemd-analyze verify` on every unit in
deploy/systemd/ (in a scratch root holding the units, the host's own units they refer to and the programs
they start), and `systemd-analyze security --offline=yes` on the centre's unit, whose exposure score must be
at most 2.5 ("OK"). Exit 77 (skipped) when systemd-analyze is missing.

Usage: units_test.py SOURCE_DIR FEEDBACK_KIOSK FEEDBACK_CENTRAL
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

MAX_SCORE = 2.5


def fail(message: str) -> None:
    print(f"FAIL: {message}")
    sys.exit(1)


def main() -> None:
    source, kiosk, central = (pathlib.Path(a) for a in sys.argv[1:4])
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("SKIP: systemd-analyze is missing (Debian package systemd)")
        sys.exit(77)
    units = sorted((source / "deploy" / "systemd").glob("*.service"))
    if {u.name for u in units} != {"feedback-kiosk.service", "feedback-central.service"}:
        fail(f"expected the kiosk's and the centre's unit, found {[u.name for u in units]}")

    with tempfile.TemporaryDirectory(prefix="fk-units-") as tmp:
        root = pathlib.Path(tmp)
        unit_dir = root / "usr/lib/systemd/system"
        # The host's units (targets, getty@) that ours order against, then ours.
        shutil.copytree("/usr/lib/systemd/system", unit_dir, symlinks=True)
        for unit in units:
            shutil.copy(unit, unit_dir / unit.name)
        # Every ExecStart/ExecReload program must exist and be executable: ours from the build, the rest
        # (cage, kill) from the host.
        (root / "usr/bin").mkdir(parents=True, exist_ok=True)
        (root / "bin").mkdir(exist_ok=True)
        shutil.copy(kiosk, root / "usr/bin/feedback-kiosk")
        shutil.copy(central, root / "usr/bin/feedback-central")
        (root / "usr/libexec/feedback-kiosk").mkdir(parents=True)
        shutil.copy(source / "deploy/systemd/kiosk-session", root / "usr/libexec/feedback-kiosk/kiosk-session")
        for program in ("/usr/bin/cage", "/bin/kill"):
            if not pathlib.Path(program).exists():
                fail(f"{program} is missing: install-deps.sh's run-kiosk group installs cage")
            shutil.copy(program, root / program.lstrip("/"))

        verify = subprocess.run([analyze, "verify", f"--root={root}", *[u.name for u in units]],
                                capture_output=True, text=True)
        output = (verify.stdout + verify.stderr).strip()
        print(f"systemd-analyze verify: exit {verify.returncode}" + (f"\n{output}" if output else ""))
        if verify.returncode != 0 or output:
            fail("systemd-analyze verify reported problems (every warning counts)")

    unit = source / "deploy/systemd/feedback-central.service"
    security = subprocess.run([analyze, "security", "--offline=yes", str(unit)], capture_output=True, text=True)
    match = re.search(r"Overall exposure level for feedback-central\.service: ([0-9.]+) (\w+)", security.stdout)
    if match is None:
        fail(f"no overall exposure level in:\n{security.stdout}\n{security.stderr}")
    score, verdict = float(match.group(1)), match.group(2)
    print(f"systemd-analyze security --offline=yes feedback-central.service: {score} {verdict}")
    if score > MAX_SCORE or verdict != "OK":
        fail(f"the centre's unit scores {score} {verdict}; at most {MAX_SCORE} OK is required")
    print("ok: both units verify; the centre's exposure is", score)


if __name__ == "__main__":
    main()
