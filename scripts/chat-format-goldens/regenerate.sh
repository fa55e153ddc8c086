#!/usr/bin/env bash
# Regenerates tests/AgentHost.ChatFormats.Tests/Goldens/*.json from llama.cpp's own chat-format code
# and its own test cases. See README.md in this folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

LLAMA_SRC="${LLAMA_SRC:-/root/.cache/agenthost/llama.cpp-v0.5.0}"
# An existing llama.cpp build (BUILD_SHARED_LIBS=ON, LLAMA_BUILD_COMMON=ON) can be reused read-only;
# otherwise a minimal one is configured and built in LLAMA_BUILD. Shared with scripts/template-goldens.
LLAMA_BUILD="${LLAMA_BUILD:-/root/.cache/agenthost/template-goldens-build}"
JOBS="${JOBS:-2}"
BOS="${BOS:-<s>}"
EOS="${EOS:-</s>}"

goldens="$repo/tests/AgentHost.ChatFormats.Tests/Goldens"
tool_dir="${TOOL_DIR:-/root/.cache/agenthost/chat-format-goldens-tool}"

if [[ ! -f "$LLAMA_BUILD/bin/libllama-common.so" ]]; then
    echo "building llama.cpp common library in $LLAMA_BUILD (-j$JOBS)"
    nice cmake -S "$LLAMA_SRC" -B "$LLAMA_BUILD" -G Ninja \
        -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=OFF \
        -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF \
        -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
        -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF
    nice cmake --build "$LLAMA_BUILD" --target llama-common -j "$JOBS"
fi

# The recorder is llama.cpp's own tests/test-chat.cpp with run() recording instead of asserting
# (derive-recorder.awk) and chat_format_goldens.cpp appended; nothing of test-chat.cpp is kept here.
mkdir -p "$tool_dir"
echo "deriving the recorder from $LLAMA_SRC/tests/test-chat.cpp"
awk -v src="$LLAMA_SRC" -v recorder="$here/chat_format_goldens.cpp" \
    -f "$here/derive-recorder.awk" "$LLAMA_SRC/tests/test-chat.cpp" > "$tool_dir/test-chat-recorder.cpp"

echo "compiling the recorder against $LLAMA_BUILD"
nice g++ -std=c++17 -O1 -rdynamic -w \
    -I"$LLAMA_SRC/common" -I"$LLAMA_SRC/include" -I"$LLAMA_SRC/ggml/include" -I"$LLAMA_SRC/vendor" \
    "$tool_dir/test-chat-recorder.cpp" -o "$tool_dir/chat_format_goldens" \
    -L"$LLAMA_BUILD/bin" -Wl,-rpath,"$LLAMA_BUILD/bin" \
    -lllama-common -lllama -lggml -lggml-base

# test-chat.cpp opens models/templates/... relative to the source root. strftime_now and
# date_string use local time: pin the zone as well as the clock.
mkdir -p "$goldens"
echo "recording (llama.cpp warnings and errors: $tool_dir/chat_format_goldens.log)"
(cd "$LLAMA_SRC" && TZ=UTC LC_ALL=C nice "$tool_dir/chat_format_goldens" "$goldens" "$BOS" "$EOS" \
    2> "$tool_dir/chat_format_goldens.log")
echo "goldens written under $goldens"
