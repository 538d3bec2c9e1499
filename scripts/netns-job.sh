#!/usr/bin/env bash
# Runs a ScaleML job of N workers, each in its own network namespace, joined through a bridge by veth pairs whose
# both directions are rate-limited with tc tbf, so collectives see a real bandwidth-limited network.
#
#   scripts/netns-job.sh -n 4 --rate 1gbit -- bench allreduce --transport tcp --size 16M --codec none --json
#
# Topology: namespace sml<ID>-hub holds a bridge; namespace sml<ID>-r (r = 0..N-1) holds veth "eth0" with address
# 10.213.<ID mod 256>.<r+1>/24, whose peer is attached to the bridge; tbf shapes both ends (worker egress and
# worker ingress). Only these namespaces carry the job's traffic; nothing touches the host's interfaces.
# Everything created is removed on exit (also on failure or Ctrl-C). Needs root, ip and tc; prints one line and
# exits 77 ("skipped") without them.
set -euo pipefail

usage() {
  echo "usage: $0 -n N [--rate RATE] [--burst BYTES] -- SCALEML-ARGS..." >&2
  echo "  RATE as tc understands it, e.g. 1gbit, 100mbit (default 1gbit)" >&2
  exit 2
}

n=""
rate="1gbit"
burst=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) n="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --burst) burst="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) usage ;;
    *) echo "$0: unknown option $1" >&2; usage ;;
  esac
done
[[ -n "$n" && "$n" =~ ^[0-9]+$ && "$n" -ge 1 && "$n" -le 64 ]] || { echo "$0: -n must be 1..64" >&2; usage; }
[[ $# -gt 0 ]] || { echo "$0: no scaleml command after --" >&2; usage; }

if [[ $(id -u) -ne 0 ]]; then echo "$0: skipped: needs root to create network namespaces" >&2; exit 77; fi
command -v ip >/dev/null && command -v tc >/dev/null || { echo "$0: skipped: needs ip and tc" >&2; exit 77; }

root="$(cd "$(dirname "$0")/.." && pwd)"
id=$(( $$ % 200 + 20 ))
pre="sml${id}-"
hub="${pre}hub"
net="10.213.${id}"
# tbf needs a burst of at least rate/HZ; 1 ms worth of bytes, at least 64 KiB
if [[ -z "$burst" ]]; then
  bits=$(echo "$rate" | awk '{r=tolower($0); m=1; if (r ~ /gbit$/) m=1e9; else if (r ~ /mbit$/) m=1e6; else if (r ~ /kbit$/) m=1e3; sub(/[a-z]+$/, "", r); printf "%d", r*m}')
  burst=$(( bits / 8 / 1000 )); (( burst < 65536 )) && burst=65536
fi

created=()
cleanup() {
  for ns in "${created[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

ip netns add "$hub"; created+=("$hub")
ip -n "$hub" link add br0 type bridge
ip -n "$hub" link set br0 up
ip -n "$hub" link set lo up
hosts=""
for (( r = 0; r < n; r++ )); do
  ns="${pre}${r}"
  ip netns add "$ns"; created+=("$ns")
  ip link add "${pre}v${r}" netns "$ns" type veth peer name "p${r}" netns "$hub"
  ip -n "$ns" link set "${pre}v${r}" name eth0
  ip -n "$ns" addr add "${net}.$(( r + 1 ))/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$hub" link set "p${r}" master br0
  ip -n "$hub" link set "p${r}" up
  tc -n "$ns" qdisc add dev eth0 root tbf rate "$rate" burst "$burst" latency 100ms
  tc -n "$hub" qdisc add dev "p${r}" root tbf rate "$rate" burst "$burst" latency 100ms
  hosts+="${hosts:+,}${net}.$(( r + 1 ))"
done
echo "netns-job: $n namespaces ${pre}0..${pre}$(( n - 1 )) on ${net}.0/24, links shaped to $rate (burst $burst B)" >&2

set +e
"$root/scaleml" launch -n "$n" --hosts "$hosts" --netns "$pre" -- "$@"
code=$?
set -e
exit $code
