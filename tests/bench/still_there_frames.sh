#!/usr/bin/env bash
# Does the "Are you still there?" countdown move? Runs the real kiosk under Xvfb with the automation hook,
# starts a visit, leaves it alone until the countdown shows, and prints how many frames the countdown screen
# drew and how many distinct countdown texts it showed (one a second is the target), with a CPU hog beside
# it when asked.
# Usage: tests/bench/still_there_frames.sh build/kiosk/feedback-kiosk [hog]
set -euo pipefail
kiosk=$(realpath "$1")
hog=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${hogs:-}" ] && kill $hogs 2>/dev/null || true' EXIT
countdown=20
cat > "$work/kiosk.toml" <<TOML
[visit]
inactivity_timeout_s = 5
still_there_timeout_s = $countdown
TOML
hogs=""
if [ "$hog" = hog ]; then
  for _ in 1 2; do timeout $((countdown + 30)) sh -c 'while :; do :; done' & hogs="$hogs $!"; done
fi
cat > "$work/run.sh" <<SCRIPT
#!/usr/bin/env bash
set -eu
export FK_AUTOMATION_DIR="$work/auto" FK_AUTOMATION_SCREENSHOTS=off
mkdir -p "$work/auto" "$work/data"
"$kiosk" --windowed --config "$work/kiosk.toml" --data-dir "$work/data" > "$work/log" 2>&1 & pid=\$!
python3 - "$work/auto/layout.json" $countdown <<'PY'
import json, subprocess, sys, time
layout, countdown = sys.argv[1], int(sys.argv[2])
def read():
    try:
        with open(layout) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
deadline = time.time() + 15
while time.time() < deadline:  # the attract screen's start target, then a tap on it
    d = read()
    start = d and next((t for t in d["targets"] if t["id"] == "start"), None)
    if start:
        break
    time.sleep(0.1)
x, y = int(start["x"] + start["w"] / 2), int(start["y"] + start["h"] / 2)
subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], check=True)
frames, texts, first = set(), [], None
end = time.time() + 5 + countdown + 8
while time.time() < end:
    d = read()
    if d and d["screen"] == "still_there":
        first = first or time.time()
        frames.add(d["frame"])
        shown = [str(t) for t in d["texts"] if "second" in str(t)]
        if shown and (not texts or texts[-1] != shown[0]):
            texts.append(shown[0])
    elif first:
        break
    time.sleep(0.05)
seconds = (time.time() - first) if first else 0
print(f"still-there countdown of {countdown} s: {len(frames)} frames drawn over {seconds:.1f} s, "
      f"{len(texts)} distinct countdown texts (target: one a second)")
PY
kill \$pid
SCRIPT
chmod +x "$work/run.sh"
xvfb-run -a -s "-screen 0 1920x1080x24" "$work/run.sh"
