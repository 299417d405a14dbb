#!/usr/bin/env bash
# Installs from Debian's packages whatever the build and the tests need and is
# missing; does nothing (and needs no network) when everything is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  librocksdb-dev libsqlite3-dev liblmdb-dev zlib1g-dev
  libpq-dev postgresql  # the postgres engine; its tests start a throwaway PostgreSQL
  libboost1.81-dev rapidjson-dev libyaml-cpp-dev libgtest-dev
  libcli11-dev  # jormun-admin's flags
  libssl-dev openssl  # SigV4 (HMAC-SHA256), TLS; the TLS tests make certificates
  python3-pytest python3-boto3 awscli
  clang-format  # make fmt
  clang libclang-rt-dev  # make fuzz: clang with libFuzzer (libclang_rt.fuzzer)
  dpkg-dev systemd  # make deb: dpkg-shlibdeps; its test runs systemd-analyze verify
  chromium  # conformance/test_console.py: the console page in a headless browser
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js runs the JavaScript SDK smoke test; any installed node will do.
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
