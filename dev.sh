#!/usr/bin/env bash
# Sets up everything the kiosk needs on Debian, then runs it or its tests.
#   ./dev.sh run     the kiosk on embedded defaults (SANE test scanner, local folder inbox):
#                    the touch UI in a window when a display is present, else the headless demo
#   ./dev.sh test    the whole test suite (what CI runs)
#   ./dev.sh test --fast   without the soak, lint and slow tiers (markers in pyproject.toml)
#                    Other arguments go to pytest: ./dev.sh test --fast tests/ui -x
#   ./dev.sh bench   the benchmarks under tests/bench/
#   ./dev.sh deb     dist/jobcenter-kiosk_<version>_amd64.deb (deploy/debian/build-deb)
# System packages come through apt when run as root; Python packages go into .venv.
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(
  python3 python3-venv python3-dev gcc libc6-dev   # venv, and building python-sane
  libsane1 libsane-dev sane-utils                  # SANE, its test backend, scanimage
  libzbar0                                         # pyzbar
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1   # Qt's xcb platform
  xvfb fonts-noto-core fonts-dejavu-core           # screenshots; Arabic glyphs
  xdotool x11-utils                                # the real-window test: taps, xwininfo
  cage xwayland grim                               # tests/ui/test_cage.py: the kiosk under cage (headless), grim screenshots
  libwayland-cursor0 libwayland-egl1               # Qt's wayland platform (as under cage in kiosk-ui.service)
  espeak-ng                                        # speech output
  alsa-utils                                       # aplay: the timeout warning sound
  cups printer-driver-cups-pdf                     # the receipt printer; its tests' virtual printer
  libfribidi0                                      # Arabic on the paper receipt (Pillow's libraqm)
  acl                                              # setfacl: the USB scanner access test (uaccess ACL)
  prometheus prometheus-node-exporter              # promtool (alert rule tests); the real node_exporter reading kiosk.prom
  dpkg-dev lintian                                 # ./dev.sh deb: dpkg-deb builds the .deb, lintian checks it
  debootstrap systemd-container                    # tests/deploy: a Debian 12 root, booted with systemd-nspawn
  ansible ansible-lint                             # deploy/ansible: the fleet role, applied in tests/deploy (chroot connection)
  qpdf poppler-utils                               # qpdf --check on the PDF/A documents; pdftoppm renders a G4 page back (tests)
  tesseract-ocr tesseract-ocr-deu fonts-urw-base35 # tests/bench/bench_pages.py: OCR character error rate; its handwriting font
)

log() { printf '[dev.sh] %s\n' "$*" >&2; }

ensure_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { log "not Debian: install the equivalents of: ${APT_PACKAGES[*]}"; return 0; }
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "missing Debian packages (run as root, or: sudo apt-get install ${missing[*]})"
  fi
}

ensure_venv() {
  local py="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    log "creating .venv with $($py --version)"
    "$py" -m venv .venv
  fi
  # Reinstall only when the declared dependencies change.
  local stamp=.venv/.kiosk-installed want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing Python packages into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    echo "$want" > "$stamp"
  fi
}

# Translations: i18n/<lang>/LC_MESSAGES/kiosk.po -> kiosk/ui/i18n/locale/... (.mo, not committed).
compile_catalogs() {
  local po lang
  for po in i18n/*/LC_MESSAGES/kiosk.po; do
    [ -f "$po" ] || continue
    lang=${po#i18n/}; lang=${lang%%/*}
    mkdir -p "kiosk/ui/i18n/locale/$lang/LC_MESSAGES"
    .venv/bin/pybabel -q compile -D kiosk -l "$lang" -i "$po" \
      -o "kiosk/ui/i18n/locale/$lang/LC_MESSAGES/kiosk.mo" >/dev/null
  done
}

setup() {
  ensure_system_packages
  ensure_venv
  compile_catalogs
}

cmd="${1:-}"
shift || true
case "$cmd" in
  run)
    setup
    # With a display: the touch UI in a window; without one: the headless demo.
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
      exec .venv/bin/kiosk run --windowed "$@"
    fi
    exec .venv/bin/kiosk demo "$@"
    ;;
  test)
    setup
    export QT_QPA_PLATFORM=offscreen
    args=()
    for arg in "$@"; do
      if [ "$arg" = --fast ]; then args+=(-m "not soak and not lint and not slow"); else args+=("$arg"); fi
    done
    exec .venv/bin/python -m pytest ${args[@]+"${args[@]}"}
    ;;
  bench)
    setup
    export QT_QPA_PLATFORM=offscreen
    for bench in tests/bench/bench_*.py; do .venv/bin/python "$bench" "$@"; done
    ;;
  deb)
    setup
    exec deploy/debian/build-deb "$@"
    ;;
  *)
    echo "usage: ./dev.sh run|test [--fast]|bench|deb" >&2
    exit 2
    ;;
esac
