#!/usr/bin/env bash
# Serving benchmark: `agenthost serve` beside llama.cpp's own llama-server (built from the same node-llama-cpp@3.22.1
# source bundle, llama.cpp v0.5.0), same model, slots, context, threads and chat template; the two take turns test by
# test for ROUNDS rounds (medians reported).
#   scripts/bench-serving.sh [model.gguf]
# Measures, over the OpenAI-compatible /v1/chat/completions of each server:
#   1. aggregate generation tokens/s with 1, 2, 4 and 8 concurrent clients (non-streaming, greedy, MAX_TOKENS each);
#   2. time to first token (streaming) of a second turn over a ~HISTORY_TOKENS-token history, with the first turn in
#      the slot's KV cache ("reuse") and with a history no slot has seen ("cold": a fresh nonce starts the system
#      message, so no cached prefix matches).
# Environment: PARALLEL (slots, 8), CTX (per slot, 2048), THREADS (nproc), REQUESTS (per client, 4), MAX_TOKENS (64),
# HISTORY_TOKENS (1000), REPS (TTFT repetitions, 5), ROUNDS (3), AGENTHOST (command that runs the CLI; default: the Release build).
# Prints a Markdown table. Run it on an idle machine: it warns when the load average is 2 or more.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-../shared/models/stories260K.gguf}
parallel=${PARALLEL:-8}
ctx=${CTX:-2048}
threads=${THREADS:-$(nproc)}
requests=${REQUESTS:-4}
max_tokens=${MAX_TOKENS:-64}
history_tokens=${HISTORY_TOKENS:-1000}
reps=${REPS:-5}
rounds=${ROUNDS:-3}
cache=${AGENTHOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/agenthost}
load=$(cut -d' ' -f1 /proc/loadavg)
if awk "BEGIN { exit !($load >= 2) }"; then echo "bench-serving: warning: load average $load; figures will be noisy" >&2; fi

# llama-server, built once (nice, two jobs: the machine is shared). An existing build tree is reused as configured.
src=$(bash build/fetch-llama.sh source)
build="$cache/llama-build"
if [ ! -x "$build/bin/llama-server" ]; then
  echo "bench-serving: building llama-server from $src (once)..." >&2
  if [ ! -f "$build/CMakeCache.txt" ]; then
    nice -n 10 cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF >/dev/null
  fi
  nice -n 10 cmake --build "$build" -j2 --target llama-server >/dev/null
fi

if [ -z "${AGENTHOST:-}" ]; then
  nice -n 10 dotnet build src/AgentHost.Cli -c Release -v q -nologo >/dev/null
  AGENTHOST="dotnet src/AgentHost.Cli/bin/Release/net10.0/agenthost.dll"
fi

port_ours=18481
port_theirs=18482
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_healthy() {
  for _ in $(seq 1 600); do
    if curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "bench-serving: the server on port $1 did not become healthy" >&2
  return 1
}

client=$(mktemp --suffix=.py)
trap 'cleanup; rm -f "$client"' EXIT
cat >"$client" <<'PY'
import json, sys, threading, time, uuid, http.client, statistics

port, mode = int(sys.argv[1]), sys.argv[2]

def post(body, stream=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
    return conn, conn.getresponse()

def complete(messages, max_tokens):
    conn, r = post({"messages": messages, "max_tokens": max_tokens, "temperature": 0})
    data = json.loads(r.read())
    conn.close()
    if r.status != 200: raise SystemExit(f"HTTP {r.status}: {data}")
    return data

def throughput(clients, requests, max_tokens):
    prompts = ["Once upon a time", "Lily had a red ball", "The dog ran to the park", "Tom went to the beach",
               "There was a little bird", "Mom baked a big cake", "The sun was hot", "A boy found a stone"]
    tokens = [0] * clients
    def run(c):
        for i in range(requests):
            d = complete([{"role": "user", "content": prompts[(c + i) % len(prompts)] + f" ({c}.{i})"}], max_tokens)
            tokens[c] += d["usage"]["completion_tokens"]
    complete([{"role": "user", "content": "warm up"}], 8)
    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    t0 = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.perf_counter() - t0
    return sum(tokens) / wall, sum(tokens), wall

def ttft(messages):
    # From sending the request to the first content delta (a server may send its headers early or late).
    t0 = time.perf_counter()
    conn, r = post({"messages": messages, "max_tokens": 8, "temperature": 0, "stream": True})
    first = None
    for raw in r:
        line = raw.decode().strip()
        if not line.startswith("data: ") or line == "data: [DONE]": continue
        chunk = json.loads(line[6:])
        if first is None and any(c.get("delta", {}).get("content") for c in chunk.get("choices", [])):
            first = time.perf_counter() - t0
    conn.close()
    return first

def history(nonce, target):
    sentence = "Lily and her dog Max walked to the big park and played with a red ball under the warm sun. "
    text = sentence * max(1, target // 38)  # about 38 tokens a sentence with stories260K's vocabulary
    return [{"role": "system", "content": f"Session {nonce}. You tell short stories."}, {"role": "user", "content": text}]

if mode == "throughput":
    clients, requests, max_tokens = map(int, sys.argv[3:6])
    tps, n, wall = throughput(clients, requests, max_tokens)
    print(json.dumps({"tps": tps, "tokens": n, "wall": wall}))
else:
    target, reps = int(sys.argv[3]), int(sys.argv[4])
    reuse, cold, prompt_tokens = [], [], 0
    for _ in range(reps):
        h = history(uuid.uuid4().hex, target)
        first = complete(h, 16)
        prompt_tokens = first["usage"]["prompt_tokens"]
        second = h + [{"role": "assistant", "content": first["choices"][0]["message"]["content"]},
                      {"role": "user", "content": "What happened next?"}]
        reuse.append(ttft(second))
        # The same second turn under a nonce no slot has seen: the whole history is evaluated again.
        fresh = history(uuid.uuid4().hex, target)
        cold.append(ttft(fresh + second[2:]))
    print(json.dumps({"reuse_ms": 1000 * statistics.median(reuse), "cold_ms": 1000 * statistics.median(cold), "history_tokens": prompt_tokens}))
PY

run_test() { # name port test...
  local name=$1 port=$2; shift 2
  case $1 in
    tp) python3 "$client" "$port" throughput "$2" "$requests" "$max_tokens" | sed "s/^/$name tp$2 /" ;;
    ttft) python3 "$client" "$port" ttft "$history_tokens" "$reps" | sed "s/^/$name ttft /" ;;
  esac
}

# Both servers stay up (an idle one takes no CPU) and every test runs on one, then on the other, for ROUNDS rounds,
# so a machine whose speed drifts (a shared VM) cannot favour whichever server ran first; medians are reported.
$AGENTHOST serve --model "$model" --urls "http://127.0.0.1:$port_ours" --parallel "$parallel" --ctx "$ctx" --threads "$threads" \
  --backend Cpu --gpu-layers 0 --chat-template chatml 2>/dev/null &
pids+=($!)
# theirs: the same slots, per-slot context (a KV buffer per slot), threads and template; prompt cache on (its default)
"$build/bin/llama-server" -m "$model" --host 127.0.0.1 --port $port_theirs -np "$parallel" -c $((ctx * parallel)) -t "$threads" \
  -ngl 0 --chat-template chatml --no-webui >/dev/null 2>&1 &
pids+=($!)
wait_healthy $port_ours
wait_healthy $port_theirs

results=$(mktemp)
for round in $(seq 1 "$rounds"); do
  for test in "tp 1" "tp 2" "tp 4" "tp 8" "ttft"; do
    if [ $((round % 2)) -eq 1 ]; then order="agenthost llama-server"; else order="llama-server agenthost"; fi
    for name in $order; do
      if [ "$name" = agenthost ]; then port=$port_ours; else port=$port_theirs; fi
      # shellcheck disable=SC2086
      run_test "$name" "$port" $test >>"$results"
    done
  done
done

python3 - "$results" "$(basename "$model")" <<'PY'
import json, sys, statistics
rows = {}
for line in open(sys.argv[1]):
    name, test, payload = line.split(" ", 2)
    rows.setdefault((name, test), []).append(json.loads(payload))
def med(name, test, key):
    return statistics.median(r[key] for r in rows[(name, test)])
print(f"model {sys.argv[2]}")
print()
print("| test | llama-server | agenthost | ratio |")
print("|---|---:|---:|---:|")
for c in (1, 2, 4, 8):
    t, o = med("llama-server", f"tp{c}", "tps"), med("agenthost", f"tp{c}", "tps")
    print(f"| generation t/s, {c} client{'s' if c > 1 else ''} | {t:.1f} | {o:.1f} | {o / t:.2f} |")
for key, label in (("reuse_ms", "TTFT 2nd turn, cache reuse (ms)"), ("cold_ms", "TTFT 2nd turn, cold (ms)")):
    t, o = med("llama-server", "ttft", key), med("agenthost", "ttft", key)
    print(f"| {label} | {t:.1f} | {o:.1f} | {o / t:.2f} |")
ours, theirs = med("agenthost", "ttft", "cold_ms") / med("agenthost", "ttft", "reuse_ms"), med("llama-server", "ttft", "cold_ms") / med("llama-server", "ttft", "reuse_ms")
print()
print(f"cache reuse speed-up of the second turn: agenthost {ours:.1f}x, llama-server {theirs:.1f}x")
print(f"history: {rows[('agenthost', 'ttft')][0]['history_tokens']} prompt tokens (agenthost count), {rows[('llama-server', 'ttft')][0]['history_tokens']} (llama-server count)")
PY
echo
echo "slots=$parallel ctx/slot=$ctx threads=$threads requests/client=$requests max_tokens=$max_tokens reps=$reps rounds=$rounds load=$load cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\" cores=$(nproc)"
