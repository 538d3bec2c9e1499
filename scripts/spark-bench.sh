#!/usr/bin/env bash
# ScaleMLClassifier on Spark local[2] against Spark MLlib and in-process training (docs/BENCHMARKS.md, "Training on
# Spark (ScaleMLClassifier)"); see org.scaleml.spark.bench.SparkBench.
#
#   scripts/spark-bench.sh fmnist|a9a|overhead|bytes|mlp-baseline [OUT] [-- EXTRA ARGS...]
#
# Builds scaleml-spark (and what it needs) under Maven, then runs the benchmark as a plain java command (so the
# shared Maven lock is free during the run). The JSON lines go to stdout and, with OUT, are appended to OUT too;
# readable lines and Spark's warnings go to stderr. mlp-baseline runs MlpBaseline (the MLlib MLP alone, its own
# options after --).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODE="${1:?usage: scripts/spark-bench.sh fmnist|a9a|overhead|bytes|mlp-baseline [OUT] [-- EXTRA ARGS...]}"
shift
OUT=""
if [[ $# -gt 0 && "$1" != "--" ]]; then OUT="$1"; shift; fi
if [[ $# -gt 0 && "$1" == "--" ]]; then shift; fi
cd "$ROOT"
if [[ -z "${SPARK_BENCH_NO_BUILD:-}" ]]; then
    ./mvnw -B -q -pl scaleml-spark -am install -DskipTests
fi
# Spark's JVM flags for JDK 17+: the property spark.test.jvm.args of scaleml-spark/pom.xml
JVM_ARGS=$(sed -n '/<spark.test.jvm.args>/,/<\/spark.test.jvm.args>/p' scaleml-spark/pom.xml \
    | sed -e 's/<[^>]*>//g' | tr -s ' \n' ' ')
# shellcheck disable=SC2206
JVM=(java -Xmx6g $JVM_ARGS -Dlog4j2.configurationFile="$ROOT/scripts/spark-bench-log4j2.properties"
     -cp "scaleml-spark/target/classes:$(cat scaleml-spark/target/classpath.txt)")
export SPARK_LOCAL_IP=127.0.0.1
if [[ "$MODE" == mlp-baseline ]]; then
    CMD=("${JVM[@]}" org.scaleml.spark.bench.MlpBaseline "$@")
else
    CMD=("${JVM[@]}" org.scaleml.spark.bench.SparkBench "$MODE" "$@")
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [[ -n "$OUT" ]]; then
    mkdir -p "$(dirname "$OUT")"
    "${CMD[@]}" | tee -a "$OUT"
else
    "${CMD[@]}"
fi
