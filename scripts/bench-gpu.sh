#!/usr/bin/env bash
# On a machine with an NVIDIA GPU (CUDA 13 driver): `agenthost bench` with Backend=Cuda beside llama.cpp's own
# llama-bench running the very same CUDA kernels (the npm package's libggml-cuda.so, loaded by a llama-bench built
# from the same v0.5.0 source with dynamic backends), on synthetic Qwen2.5-0.5B and -1.5B shapes, Q8_0 and F16,
# all layers offloaded. Prints one Markdown table. Needs: .NET 10 SDK, npm, cmake, g++.
#   scripts/bench-gpu.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
cache=${AGENTHOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/agenthost}
src=$(bash build/fetch-llama.sh source)
cuda=$(bash build/fetch-llama.sh cuda)
bench_build="$cache/llama-build-dl"
if [ ! -x "$bench_build/bin/llama-bench" ]; then
  cmake -S "$src" -B "$bench_build" -DCMAKE_BUILD_TYPE=Release -DGGML_BACKEND_DL=ON -DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=ON \
    -DBUILD_SHARED_LIBS=ON -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF >/dev/null
  cmake --build "$bench_build" -j"$(nproc)" --target llama-bench ggml-cpu >/dev/null
fi
cp -f "$cuda/libggml-cuda.so" "$bench_build/bin/"
dotnet build src/AgentHost.Cli -c Release -v q -nologo -p:AgentHostFetchCuda=true >/dev/null
agenthost="dotnet src/AgentHost.Cli/bin/Release/net10.0/agenthost.dll"
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)

echo "| model | test | llama-bench CUDA t/s | agenthost CUDA t/s | ratio |"
echo "|---|---|---:|---:|---:|"
for shape in qwen2.5-0.5b qwen2.5-1.5b; do
  for type in Q8_0 F16; do
    m="$cache/bench-models/$shape-synthetic-$type.gguf"
    [ -f "$m" ] || $agenthost model synth --shape "$shape" --type "$type" --vocab "$src/models/ggml-vocab-qwen2.gguf" \
      --template "$src/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja" --output "$m" >/dev/null
    ours=$($agenthost bench --model "$m" --backend Cuda --gpu-layers -1 --prompt-tokens 512 --gen-tokens 128 --repetitions "$reps" --json)
    theirs=$("$bench_build/bin/llama-bench" -m "$m" -ngl 99 -p 512 -n 128 -r "$reps" -o json 2>/dev/null)
    python3 - "$m" "$ours" "$theirs" <<'PY'
import json, sys, os
name, ours, theirs = os.path.basename(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
ref = {("pp" if t["n_gen"] == 0 else "tg"): (t["avg_ts"], t["stddev_ts"]) for t in theirs}
for test, n in (("pp", ours["pp_tokens"]), ("tg", ours["tg_tokens"])):
    mine, sd = ours[f"{test}_tokens_per_s"], ours[f"{test}_stddev"]
    r, rsd = ref[test]
    print(f"| {name} | {test}{n} | {r:.2f} ± {rsd:.2f} | {mine:.2f} ± {sd:.2f} | {mine / r:.3f} |")
PY
  done
done
echo
echo "device: $gpu; backend reported by agenthost: $(echo "$ours" | python3 -c 'import json,sys; print(json.load(sys.stdin)["backend"])')"
