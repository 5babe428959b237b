# Shared helpers for scripts/*: sourced, not run.

# Prints a visible step header.
step() { printf '\n==> %s\n' "$*"; }

# Installs the Debian packages that are missing: with apt-get as root, otherwise
# prints the exact command to run and fails.
ensure_debian_packages() {
    local missing=()
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then echo "present: $*"; return 0; fi
    if [ "$(id -u)" -eq 0 ]; then
        echo "installing: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "error: missing Debian packages; run: sudo apt-get install -y ${missing[*]}" >&2
        return 1
    fi
}

# Reads Swift Testing's closing line from a log and prints the plain 'N passed, N failed' line.
summary_line() {
    local log=$1 label=$2 line total failed
    line=$(grep -E 'Test run with [0-9]+ tests? .*(passed|failed)' "$log" | tail -n 1 || true)
    [ -n "$line" ] || { echo "$label: no Swift Testing summary found" >&2; return 0; }
    total=$(sed -E 's/.*Test run with ([0-9]+) tests?.*/\1/' <<<"$line")
    failed=0
    if grep -qE 'with [0-9]+ issues?' <<<"$line"; then
        failed=$(grep -E '^✘ Test .* failed' "$log" | grep -vc 'Test run with' || true)
    fi
    echo "$label: $((total - failed)) passed, $failed failed"
}
