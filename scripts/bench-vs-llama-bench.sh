#!/usr/bin/env bash
# Measures `agenthost bench` beside llama.cpp's own llama-bench (built from the same node-llama-cpp@3.22.1 source
# bundle, llama.cpp v0.5.0) on the same models, threads and token counts, in one run, and prints a Markdown table.
#   [TYPES="Q8_0 F16"] scripts/bench-vs-llama-bench.sh [threads] [repetitions]
# Models: ../shared/models/stories260K.gguf and a synthetic Qwen2.5-0.5B-shaped model (Q8_0 and F16, qwen2 vocab).
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-$(nproc)}
reps=${2:-5}
cache=${AGENTHOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/agenthost}
src=$(bash build/fetch-llama.sh source)
bench_build="$cache/llama-build"
if [ ! -x "$bench_build/bin/llama-bench" ]; then
  echo "building llama-bench from $src (once)..." >&2
  cmake -S "$src" -B "$bench_build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build "$bench_build" -j"$(nproc)" --target llama-bench >/dev/null
fi
dotnet build src/AgentHost.Cli -c Release -v q -nologo >/dev/null
agenthost="dotnet src/AgentHost.Cli/bin/Release/net10.0/agenthost.dll"

models=("../shared/models/stories260K.gguf")
for type in ${TYPES:-Q8_0 F16}; do
  m="$cache/bench-models/qwen2.5-0.5b-synthetic-$type.gguf"
  if [ ! -f "$m" ]; then
    mkdir -p "$(dirname "$m")"
    $agenthost model synth --shape qwen2.5-0.5b --type "$type" --vocab "$src/models/ggml-vocab-qwen2.gguf" \
      --template "$src/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja" --output "$m" >/dev/null
  fi
  models+=("$m")
done

echo "| model | test | llama-bench t/s | agenthost t/s | ratio |"
echo "|---|---|---:|---:|---:|"
for m in "${models[@]}"; do
  ours=$($agenthost bench --model "$m" --threads "$threads" --prompt-tokens 512 --gen-tokens 128 --repetitions "$reps" --json --backend Cpu --gpu-layers 0)
  theirs=$("$bench_build/bin/llama-bench" -m "$m" -t "$threads" -p 512 -n 128 -r "$reps" -ngl 0 -o json 2>/dev/null)
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
echo
echo "threads=$threads repetitions=$reps cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\" cores=$(nproc)"
