#!/usr/bin/env bash
# The measurements of the elastic trainers (docs/BENCHMARKS.md, "Elastic training"), on Fashion-MNIST.
#
#   scripts/elastic-bench.sh SECTION [OUTDIR] [REPEATS]
#
# SECTION: straggler | byzantine | local | hogwild | adaptive | all. Every run appends its epoch lines to
# OUTDIR/SECTION.jsonl (default OUTDIR: bench-out/elastic); a summary table is printed at the end of each
# section (medians over REPEATS runs, default 3, where throughput is compared). Needs jq.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECTION="${1:?usage: scripts/elastic-bench.sh straggler|byzantine|local|hogwild|adaptive|all [OUTDIR] [REPEATS]}"
OUT="${2:-$ROOT/bench-out/elastic}"
REPEATS="${3:-3}"
mkdir -p "$OUT"
command -v jq >/dev/null || { echo "elastic-bench: needs jq" >&2; exit 2; }
S="$ROOT/scaleml"
DATA="${SCALEML_DATA:-fashion-mnist}"

run() { # run FILE LABEL ARGS...: one training run, its epoch lines appended to FILE
    local file="$1" label="$2"
    shift 2
    "$S" train --data "$DATA" --json --label "$label" "$@" | tee -a "$file" | jq -c '{label: .label, epoch: .epoch,
        testAccuracy: .testAccuracy, stepsPerSecond: .stepsPerSecond, bytesPerStep: .bytesPerStep, seconds: .seconds}'
}

median() { # median of the numbers on stdin
    sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2];
        else print (a[NR/2]+a[NR/2+1])/2}'
}

# summary FILE: per label, the median over runs of the last epoch's steps/s, its accuracy, and bytes per step
summary() {
    local file="$1"
    printf '%-46s %8s %10s %12s %6s\n' label "steps/s" "accuracy" "bytes/step" runs
    jq -r '.label' "$file" | awk '!seen[$0]++' | while IFS= read -r label; do
        local last
        last=$(jq -r --arg l "$label" 'select(.label == $l) | .epoch' "$file" | sort -n | tail -1)
        local sel='select(.label == $l and .epoch == ($e | tonumber))'
        local sps acc bps n
        sps=$(jq -r --arg l "$label" --arg e "$last" "$sel | .stepsPerSecond" "$file" | median)
        acc=$(jq -r --arg l "$label" --arg e "$last" "$sel | .testAccuracy" "$file" | median)
        bps=$(jq -r --arg l "$label" --arg e "$last" "$sel | .bytesPerStep" "$file" | median)
        n=$(jq -r --arg l "$label" --arg e "$last" "$sel | .epoch" "$file" | wc -l)
        printf '%-46s %8.1f %10.4f %12.0f %6d\n' "$label" "$sps" "$acc" "$bps" "$n"
    done
}

straggler() { # 1 of 4 workers 5x slower: sync against partial, MLP and CNN
    local f="$OUT/straggler.jsonl"
    : > "$f"
    for i in $(seq "$REPEATS"); do
        for t in sync partial; do
            run "$f" "mlp $t" --trainer "$t" --workers 4 --epochs 2 --seed "$i"
            run "$f" "mlp $t straggler 1:5" --trainer "$t" --workers 4 --epochs 2 --seed "$i" --straggler 1:5
            run "$f" "cnn $t" --model cnn --trainer "$t" --workers 4 --epochs 1 --max-steps 150 --seed "$i"
            run "$f" "cnn $t straggler 1:5" --model cnn --trainer "$t" --workers 4 --epochs 1 --max-steps 150 \
                --seed "$i" --straggler 1:5
        done
    done
    summary "$f"
}

byzantine() { # 1 of 5 workers sends -10 x its gradient
    local f="$OUT/byzantine.jsonl"
    : > "$f"
    local a=(--workers 5 --epochs 5)
    run "$f" "clean mean" "${a[@]}"
    run "$f" "attacked mean" "${a[@]}" --attackers 1 --attack signflip:scale=10
    for rule in median trimmed-mean krum clip; do
        run "$f" "attacked $rule" "${a[@]}" --attackers 1 --attack signflip:scale=10 --aggregator "$rule"
    done
    run "$f" "attacked krum:m=4" "${a[@]}" --attackers 1 --attack signflip:scale=10 --aggregator krum:m=4
    run "$f" "attacked median, no worker momentum" "${a[@]}" --attackers 1 --attack signflip:scale=10 \
        --aggregator median --no-worker-momentum
    run "$f" "attacked clip:iters=3" "${a[@]}" --attackers 1 --attack signflip:scale=10 --aggregator clip:iters=3
    for rule in median clip; do
        run "$f" "clean $rule" "${a[@]}" --aggregator "$rule"
    done
    summary "$f"
}

local_swarm() { # accuracy against bytes and time on a simulated 1 Gbit/s link
    local f="$OUT/local.jsonl"
    : > "$f"
    local a=(--workers 4 --epochs 5 --link-gbps 1)
    run "$f" "sync fp32" "${a[@]}"
    run "$f" "sync qsgd:bits=4,norm=max" "${a[@]}" --codec qsgd:bits=4,norm=max
    run "$f" "local H=8 fp32" "${a[@]}" --trainer local --local-steps 8
    run "$f" "local H=8 qsgd:bits=4,norm=max" "${a[@]}" --trainer local --local-steps 8 --codec qsgd:bits=4,norm=max
    run "$f" "swarm H=2 fp32" "${a[@]}" --trainer swarm --local-steps 2
    run "$f" "swarm H=2 qsgd:bits=8" "${a[@]}" --trainer swarm --local-steps 2 --codec qsgd:bits=8
    summary "$f"
    "$S" plot --out "$OUT/local-swarm.png" --title "Fashion-MNIST MLP, 4 workers, simulated 1 Gbit/s link" "$f"
    echo "plot: $OUT/local-swarm.png"
}

hogwild() { # shared-memory asynchronous SGD: 1 and 2 threads, lock-free and locked
    local f="$OUT/hogwild.jsonl"
    : > "$f"
    for i in $(seq "$REPEATS"); do
        run "$f" "hogwild 1 thread" --trainer hogwild --workers 1 --epochs 3 --seed "$i"
        run "$f" "hogwild 2 threads" --trainer hogwild --workers 2 --epochs 3 --seed "$i"
        run "$f" "hogwild 2 threads locked" --trainer hogwild --workers 2 --epochs 3 --locked --seed "$i"
        run "$f" "hogwild 2 threads topk 0.1" --trainer hogwild --workers 2 --epochs 3 --seed "$i" \
            --codec ef:topk:ratio=0.1
    done
    # two threads each apply their own momentum to the one model: half the learning rate
    local half=sgd:lr=0.05,momentum=0.9,nesterov=true,schedule=cosine
    run "$f" "hogwild 2 threads lr 0.05" --trainer hogwild --workers 2 --epochs 3 --optimizer "$half"
    run "$f" "hogwild 2 threads locked lr 0.05" --trainer hogwild --workers 2 --epochs 3 --locked --optimizer "$half"
    summary "$f"
}

adaptive() { # layer-wise adaptive bit widths against uniform 4-bit (CNN: layers of different statistics)
    local f="$OUT/adaptive.jsonl"
    : > "$f"
    for seed in 1 2; do
        run "$f" "cnn uniform qsgd:bits=4,norm=max" --model cnn --workers 4 --epochs 3 --seed "$seed" \
            --codec qsgd:bits=4,norm=max
        run "$f" "cnn adaptive:bits=4" --model cnn --workers 4 --epochs 3 --seed "$seed" --codec adaptive:bits=4
    done
    run "$f" "cnn fp32" --model cnn --workers 4 --epochs 3 --seed 1
    # seed 42: the one seed (of those tried) where the planner chose a non-uniform plan
    run "$f" "cnn uniform qsgd:bits=4,norm=max seed 42" --model cnn --workers 4 --epochs 3 --seed 42 \
        --codec qsgd:bits=4,norm=max
    run "$f" "cnn adaptive:bits=4 seed 42" --model cnn --workers 4 --epochs 3 --seed 42 --codec adaptive:bits=4
    # the MLP's three weight layers quantize alike: the plan stays uniform (printed in the epoch lines' plan)
    run "$f" "mlp adaptive:bits=4" --workers 4 --epochs 5 --seed 1 --codec adaptive:bits=4
    summary "$f"
    jq -r 'select(.label | test("adaptive")) | select(.epoch == 1) | "\(.label): \(.plan)"' "$f" | sort -u
}

case "$SECTION" in
    straggler) straggler ;;
    byzantine) byzantine ;;
    local) local_swarm ;;
    hogwild) hogwild ;;
    adaptive) adaptive ;;
    all) straggler; byzantine; local_swarm; hogwild; adaptive ;;
    *) echo "elastic-bench: unknown section '$SECTION'" >&2; exit 2 ;;
esac
