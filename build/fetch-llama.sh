#!/usr/bin/env bash
# Fetches the pinned llama.cpp artifacts from the npm registry into the AgentHost cache, once.
#   fetch-llama.sh runtime   -> <cache>/native/linux-x64-3.22.1/          (CPU libllama + libggml*)
#   fetch-llama.sh cuda      -> <cache>/native/linux-x64-cuda-3.22.1/     (CUDA 13 build, ~320 MB)
#   fetch-llama.sh source    -> <cache>/llama.cpp-v0.5.0/                 (matching source: llama.h, vocab GGUFs, templates)
# Prints the resulting directory on stdout. Safe to run concurrently (flock) and idempotent.
set -euo pipefail
NLC_VERSION=3.22.1
what=${1:?usage: fetch-llama.sh runtime|cuda|source}
cache=${AGENTHOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/agenthost}
mkdir -p "$cache"

case "$what" in
  runtime) pkg="@node-llama-cpp/linux-x64@$NLC_VERSION"; dest="$cache/native/linux-x64-$NLC_VERSION" ;;
  cuda)    pkg="@node-llama-cpp/linux-x64-cuda@$NLC_VERSION"; dest="$cache/native/linux-x64-cuda-$NLC_VERSION" ;;
  source)  pkg="node-llama-cpp@$NLC_VERSION"; dest="$cache/llama.cpp-v0.5.0" ;;
  *) echo "fetch-llama.sh: unknown artifact '$what' (runtime|cuda|source)" >&2; exit 2 ;;
esac

if [ -f "$dest/.complete" ]; then echo "$dest"; exit 0; fi
command -v npm >/dev/null || { echo "fetch-llama.sh: npm is required to fetch $pkg (apt-get install npm), or set NativeLibraryPath to your own llama.cpp build" >&2; exit 3; }

exec 9>"$cache/.fetch-$what.lock"
flock 9
if [ -f "$dest/.complete" ]; then echo "$dest"; exit 0; fi

tmp=$(mktemp -d "$cache/.fetch-$what.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null 2>"$tmp/npm.err") || { cat "$tmp/npm.err" >&2; echo "fetch-llama.sh: npm pack $pkg failed" >&2; exit 4; }
mkdir -p "$tmp/x"
tar xzf "$tmp"/*.tgz -C "$tmp/x"
rm -rf "$dest"
case "$what" in
  runtime|cuda)
    mkdir -p "$dest"
    cp -a "$tmp/x/package/bins/"*/. "$dest/" ;;
  source)
    git clone -q "$tmp/x/package/llama/gitRelease.bundle" "$tmp/src" 2>/dev/null
    rm -rf "$tmp/src/.git"
    mv "$tmp/src" "$dest" ;;
esac
touch "$dest/.complete"
echo "$dest"
