#!/usr/bin/env bash
# Idle CPU of feedback-kiosk on its attract screen, with a same-run baseline while it is being touched.
#
#   tests/bench/kiosk_idle_cpu.sh [KIOSK_BINARY] [SECONDS] [attract|closed]
#     KIOSK_BINARY  default build/kiosk/feedback-kiosk (builds nothing)
#     SECONDS       length of each measurement, default 30
#     closed        measure the closed screen instead: a kiosk.toml whose [hours] open only two days from
#                   now (UTC), so it sleeps outside opening hours
#
# Starts its own X server (xvfb-run -a, 1920x1080x24), runs the kiosk fullscreen with a temporary data
# directory and FK_AUTOMATION_DIR, waits for the attract screen to settle, then samples utime+stime from
# /proc/PID/stat over SECONDS of idleness, and again over SECONDS while xdotool moves the pointer over the
# screen every 100 ms while pressed (no taps). Prints the figures; never fails on a number. Needs xvfb-run and xdotool.
set -euo pipefail

if [[ -z "${FK_IDLE_BENCH_IN_XVFB:-}" ]]; then
  command -v xvfb-run >/dev/null || { echo "xvfb-run not found (apt-get install xvfb xauth)" >&2; exit 2; }
  export FK_IDLE_BENCH_IN_XVFB=1
  exec xvfb-run -a -s "-screen 0 1920x1080x24" "$0" "$@"
fi

KIOSK=${1:-build/kiosk/feedback-kiosk}
DURATION=${2:-30}
STATE=${3:-attract}
[[ "$STATE" == attract || "$STATE" == closed ]] || { echo "the third argument is attract or closed" >&2; exit 2; }
[[ -x "$KIOSK" ]] || { echo "$KIOSK: not an executable (build it first)" >&2; exit 2; }
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || { echo "SECONDS must be a positive whole number" >&2; exit 2; }
command -v xdotool >/dev/null || { echo "xdotool not found" >&2; exit 2; }

TMP=$(mktemp -d -t fk-idle-bench.XXXXXX)
KIOSK_PID=""
TOUCH_PID=""
cleanup() {
  for pid in "$TOUCH_PID" "$KIOSK_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$TMP/auto" "$TMP/config"
LAYOUT="$TMP/auto/layout.json"
CLK_TCK=$(getconf CLK_TCK)

# utime + stime of a process, in clock ticks (fields 14 and 15; the name in parentheses may hold spaces).
cpu_ticks() {
  local stat rest
  stat=$(<"/proc/$1/stat")
  rest=${stat##*) }
  read -r -a f <<<"$rest"
  echo $((f[11] + f[12]))
}
frame() { grep -o '"frame":[0-9]*' "$LAYOUT" | cut -d: -f2; }
now() { echo "$EPOCHREALTIME"; }
# percent of one core: ticks over wall seconds
percent() { awk -v t="$1" -v hz="$CLK_TCK" -v w="$2" 'BEGIN { printf "%.2f", 100 * t / hz / w }'; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

CONFIG_ARGS=()
if [[ "$STATE" == closed ]]; then
  days=(sun mon tue wed thu fri sat)
  open_day=${days[$((($(date -u +%w) + 2) % 7))]}
  printf '[hours]\ntime_zone = "UTC"\n%s = ["08:00-18:00"]\n' "$open_day" >"$TMP/kiosk.toml"
  CONFIG_ARGS=(--config "$TMP/kiosk.toml")
fi
env -u SDL_VIDEODRIVER FK_AUTOMATION_DIR="$TMP/auto" XDG_CONFIG_HOME="$TMP/config" \
  "$KIOSK" "${CONFIG_ARGS[@]}" --data-dir "$TMP/data" 2>"$TMP/kiosk.stderr" &
KIOSK_PID=$!

# The attract screen, then no new frame for 1 s (the event loop renders a few frames and sleeps).
deadline=$((SECONDS + 30))
until [[ -s "$LAYOUT" ]] && grep -q "\"screen\":\"$STATE\"" "$LAYOUT"; do
  if ! kill -0 "$KIOSK_PID" 2>/dev/null || ((SECONDS >= deadline)); then
    echo "the kiosk did not show its $STATE screen within 30 s; its stderr:" >&2
    cat "$TMP/kiosk.stderr" >&2
    exit 1
  fi
  sleep 0.02
done
last=$(frame); quiet=0
while ((quiet < 10)); do
  sleep 0.1
  f=$(frame)
  if [[ "$f" == "$last" ]]; then quiet=$((quiet + 1)); else quiet=0; last=$f; fi
  ((SECONDS < deadline)) || { echo "the attract screen never stopped drawing" >&2; exit 1; }
done

# 1. Idle.
f0=$(frame); c0=$(cpu_ticks "$KIOSK_PID"); t0=$(now)
sleep "$DURATION"
c1=$(cpu_ticks "$KIOSK_PID"); t1=$(now); f1=$(frame)
idle_wall=$(elapsed "$t0" "$t1")
idle_pct=$(percent $((c1 - c0)) "$idle_wall")
echo "idle CPU on the $STATE screen over ${DURATION} s: ${idle_pct}% of one core (target <= 1%)" \
  "[$((c1 - c0)) ticks of 1/${CLK_TCK} s, $((f1 - f0)) frames drawn]"

# 2. Baseline: a finger held down and dragged every 100 ms across the empty band above the title (one
# xdotool process, a bounded list of moves; pressed on no target, so nothing is tapped). A pointer that
# moves without being pressed draws nothing: a touch UI has no hover states.
moves=$((DURATION * 10))
args=(mousemove 100 60 mousedown 1)
for ((i = 0; i < moves; i++)); do
  args+=(mousemove $((100 + (i * 173) % 1700)) $((40 + (i * 37) % 100)) sleep 0.1)
done
args+=(mouseup 1)
c0=$(cpu_ticks "$KIOSK_PID"); f0=$(frame); t0=$(now)
xdotool "${args[@]}" &
TOUCH_PID=$!
wait "$TOUCH_PID" || true
TOUCH_PID=""
c1=$(cpu_ticks "$KIOSK_PID"); t1=$(now); f1=$(frame)
touch_wall=$(elapsed "$t0" "$t1")
touch_pct=$(percent $((c1 - c0)) "$touch_wall")
rate=$(awk -v n="$moves" -v w="$touch_wall" 'BEGIN { printf "%.1f", n / w }')
echo "while a finger drags, 10 moves/s: ${touch_pct}% of one core over ${touch_wall} s" \
  "[${moves} pointer moves, ${rate}/s; $((f1 - f0)) frames drawn]"

kill -0 "$KIOSK_PID" 2>/dev/null || { echo "the kiosk died during the measurement; its stderr:" >&2; cat "$TMP/kiosk.stderr" >&2; exit 1; }
