#!/usr/bin/env bash
# Regenerates tests/AgentHost.Jinja.Tests/Goldens/expected from llama.cpp's own chat-template
# pipeline. See README.md in this folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

LLAMA_SRC="${LLAMA_SRC:-/root/.cache/agenthost/llama.cpp-v0.5.0}"
# An existing llama.cpp build (BUILD_SHARED_LIBS=ON, LLAMA_BUILD_COMMON=ON) can be reused read-only;
# otherwise a minimal one is configured and built in LLAMA_BUILD.
LLAMA_BUILD="${LLAMA_BUILD:-/root/.cache/agenthost/template-goldens-build}"
JOBS="${JOBS:-2}"
BOS="${BOS:-<s>}"
EOS="${EOS:-</s>}"

goldens="$repo/tests/AgentHost.Jinja.Tests/Goldens"
tool_dir="${TOOL_DIR:-/root/.cache/agenthost/template-goldens-tool}"

if [[ ! -f "$LLAMA_BUILD/bin/libllama-common.so" ]]; then
    echo "building llama.cpp common library in $LLAMA_BUILD (-j$JOBS)"
    nice cmake -S "$LLAMA_SRC" -B "$LLAMA_BUILD" -G Ninja \
        -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=OFF \
        -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF \
        -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
        -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF
    nice cmake --build "$LLAMA_BUILD" --target llama-common -j "$JOBS"
fi

mkdir -p "$tool_dir"
echo "compiling golden_gen against $LLAMA_BUILD"
nice g++ -std=c++17 -O1 -rdynamic \
    -I"$LLAMA_SRC/common" -I"$LLAMA_SRC/include" -I"$LLAMA_SRC/ggml/include" -I"$LLAMA_SRC/vendor" \
    "$here/golden_gen.cpp" -o "$tool_dir/golden_gen" \
    -L"$LLAMA_BUILD/bin" -Wl,-rpath,"$LLAMA_BUILD/bin" \
    -lllama-common -lllama -lggml -lggml-base

# strftime_now and date_string use local time: pin the zone as well as the clock.
render() { # [--pure-content] <templates dir> <output dir>
    local flags=()
    if [[ "$1" == --pure-content ]]; then flags=("$1"); shift; fi
    rm -rf "$2"
    mkdir -p "$2"
    TZ=UTC LC_ALL=C "$tool_dir/golden_gen" "${flags[@]}" "$1" "$goldens/conversations" "$2" "$BOS" "$EOS" 2>> "$tool_dir/golden_gen.log"
}
: > "$tool_dir/golden_gen.log"
echo "llama.cpp templates:"
render "$LLAMA_SRC/models/templates" "$goldens/expected"
echo "feature snippets:"
render --pure-content "$goldens/snippets" "$goldens/expected-snippets"
echo "goldens written under $goldens (llama.cpp log: $tool_dir/golden_gen.log)"
