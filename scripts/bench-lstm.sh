#!/usr/bin/env bash
# ScopeFlow vs PyTorch at LSTM shapes, side by side, in one invocation: builds the JMH benchmarks jar (module bench),
# runs PyTorch's counterparts (bench/pytorch/lstm_bench.py with Debian's /usr/bin/python3 and python3-torch), runs
# the JMH benchmarks, and prints one table (bench/pytorch/report.py): configuration, ScopeFlow ms, PyTorch ms,
# ratio PyTorch/ScopeFlow, GFLOP/s. Installs nothing: a missing prerequisite is named with its install command.
#
#   scripts/bench-lstm.sh [--quick] [--runtime cpu|opencl|all] [--threads N] [--gc] [--gemm ENGINE]
#                         [--only REGEX] [--out DIR]
#
#   --quick          fewer and shorter iterations (a first look; the README figures use the default)
#   --runtime R      which ScopeFlow runtime(s) the session benchmarks run on (default cpu). opencl runs fewer,
#                    shorter iterations: on PoCL (the CPU as an OpenCL device) a training step takes seconds
#   --threads N      threads for both frameworks (default: all cores): torch.set_num_threads(N),
#                    OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, -Dscopeflow.cpu.threads (the Java GEMM's pool),
#                    EJML's pool, ScopeFlow's session option cpu.threads
#   --gc             adds JMH's gc profiler: a column with ScopeFlow's bytes allocated per call
#   --gemm ENGINE    forces the CPU runtime's GEMM engine (-Dscopeflow.cpu.gemm and the session option cpu.gemm):
#                    openblas, java, ejml or auto (default: the runtime's choice, OpenBLAS where it loads)
#   --only REGEX     runs only the JMH benchmarks matching REGEX (e.g. 'LstmSequence'); PyTorch runs everything
#   --out DIR        where results go (default bench/target/results)
#   --torch-omp-default  runs PyTorch with libgomp's default wait policy instead of OMP_WAIT_POLICY=PASSIVE. With
#                    the default, PyTorch's idle OpenMP threads spin and take the cores from its OpenBLAS threads:
#                    on 2 cores its nn.LSTM forward at B=64 ran 3.7x slower (316 against 86 ms), so the comparison
#                    uses PASSIVE, PyTorch's faster setting here
set -euo pipefail

cd "$(dirname "$0")/.."

QUICK=0
RUNTIME=cpu
THREADS=$(nproc)
GC=0
GEMM=""
ONLY=""
OUT=bench/target/results
PYTHON=/usr/bin/python3
TORCH_OMP_WAIT_POLICY=PASSIVE

usage() { sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --runtime) RUNTIME="$2"; shift ;;
    --threads) THREADS="$2"; shift ;;
    --gc) GC=1 ;;
    --gemm) GEMM="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --torch-omp-default) TORCH_OMP_WAIT_POLICY="" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$RUNTIME" in cpu|opencl|all) ;; *) echo "--runtime must be cpu, opencl or all, got '$RUNTIME'" >&2; exit 2 ;; esac
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || { echo "--threads must be a positive integer, got '$THREADS'" >&2; exit 2; }

# ---------------------------------------------------------------- prerequisites: say what is missing, install nothing
missing=()
command -v java >/dev/null || missing+=("a JDK 17+ (apt-get install openjdk-17-jdk-headless)")
command -v mvn >/dev/null || missing+=("Maven (apt-get install maven)")
if [[ ! -x "$PYTHON" ]]; then
  missing+=("$PYTHON (apt-get install python3)")
else
  "$PYTHON" -c 'import torch' 2>/dev/null \
    || missing+=("PyTorch for $PYTHON (apt-get install python3-torch; Debian's build, not a pip wheel)")
  "$PYTHON" -c 'import numpy' 2>/dev/null || missing+=("NumPy for $PYTHON (apt-get install python3-numpy)")
fi
# (the listing is read whole first: grep -q quitting early would fail the pipe under pipefail)
LIBRARIES=$(ldconfig -p 2>/dev/null || true)
if ! grep -q 'libopenblas\.so\.0' <<<"$LIBRARIES"; then
  missing+=("OpenBLAS (apt-get install libopenblas0-pthread): PyTorch's BLAS here, and ScopeFlow's native engine")
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "bench-lstm.sh: missing prerequisites:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

mkdir -p "$OUT"
export OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS"

# ---------------------------------------------------------------- build
echo "== building bench/target/benchmarks.jar" >&2
mvn -o -q -pl bench -am package -DskipTests >&2 || {
  echo "build failed; if a plugin or JMH is missing from ~/.m2, run once without -o:" \
       "mvn -q -pl bench -am package -DskipTests" >&2
  exit 1
}
JAR=bench/target/benchmarks.jar

JVM_PROPS=("-Dscopeflow.bench.threads=$THREADS" "-Dscopeflow.cpu.threads=$THREADS")
[[ -n "$GEMM" ]] && JVM_PROPS+=("-Dscopeflow.cpu.gemm=$GEMM")

# ---------------------------------------------------------------- machine
ENV_FILE="$OUT/environment.txt"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "jdk: $(java -version 2>&1 | head -1)"
  java "${JVM_PROPS[@]}" -cp "$JAR" dev.scopeflow.bench.Environment
  "$PYTHON" -c 'import torch, numpy; print("torch:", torch.__version__, "numpy:", numpy.__version__)'
  if command -v dpkg-query >/dev/null; then
    echo "packages: $(dpkg-query -W -f '${Package} ${Version}, ' python3-torch libopenblas0-pthread \
      pocl-opencl-icd 2>/dev/null | sed 's/, $//')"
  fi
  if [[ "$RUNTIME" != cpu ]]; then
    java -cp "$JAR" dev.scopeflow.runtime.opencl.OpenClDevices 2>&1 | sed 's/^ */opencl: /' | tail -n +2
  fi
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$ENV_FILE"
cat "$ENV_FILE" >&2
ENGINE=$(sed -n 's/^cpu.gemm: //p' "$ENV_FILE")
if [[ "$RUNTIME" != cpu ]] && grep -q '^runtime opencl: unavailable' "$ENV_FILE"; then
  echo "bench-lstm.sh: --runtime $RUNTIME needs an OpenCL platform: $(sed -n 's/^runtime opencl: //p' "$ENV_FILE")" >&2
  echo "  (for the CPU as an OpenCL device: apt-get install pocl-opencl-icd ocl-icd-libopencl1)" >&2
  exit 1
fi

# ---------------------------------------------------------------- PyTorch
echo "== PyTorch ($PYTHON, torch.set_num_threads($THREADS), OMP_WAIT_POLICY=${TORCH_OMP_WAIT_POLICY:-default})" >&2
echo "pytorch OMP_WAIT_POLICY: ${TORCH_OMP_WAIT_POLICY:-libgomp default}" >> "$ENV_FILE"
TORCH_ARGS=(--threads "$THREADS" --out "$OUT/pytorch.json")
[[ $QUICK -eq 1 ]] && TORCH_ARGS+=(--quick)
if [[ -n "$TORCH_OMP_WAIT_POLICY" ]]; then
  OMP_WAIT_POLICY="$TORCH_OMP_WAIT_POLICY" "$PYTHON" bench/pytorch/lstm_bench.py "${TORCH_ARGS[@]}"
else
  "$PYTHON" bench/pytorch/lstm_bench.py "${TORCH_ARGS[@]}"
fi
"$PYTHON" - "$OUT/pytorch.json" >&2 <<'EOF'
import json, sys
info = json.load(open(sys.argv[1]))["info"]
print("torch BLAS (mapped libraries):", ", ".join(info["blas_libraries"]) or "none found")
print("torch.__config__.show():")
print(info["config"])
EOF

# ---------------------------------------------------------------- ScopeFlow (JMH)
jmh() { # jmh <result file> <JMH arguments...>
  local result="$1"; shift
  local args=("$@" -rf json -rff "$result" -foe true -jvmArgsAppend "-Xmx6g ${JVM_PROPS[*]}")
  [[ $GC -eq 1 ]] && args+=(-prof gc)
  echo "== JMH: ${args[*]}" >&2
  java "${JVM_PROPS[@]}" -jar "$JAR" "${args[@]}" >&2
}
INCLUDE="${ONLY:-dev\.scopeflow\.bench\.}"

if [[ $QUICK -eq 1 ]]; then CPU_ITER=(-wi 1 -i 3 -w 1s -r 1s); CL_ITER=(-wi 1 -i 1 -w 1s -r 1s)
else CPU_ITER=(-wi 3 -i 5 -w 2s -r 2s); CL_ITER=(-wi 1 -i 3 -w 1s -r 1s); fi

RESULTS=()
if [[ "$RUNTIME" == cpu || "$RUNTIME" == all ]]; then
  jmh "$OUT/jmh-cpu.json" "$INCLUDE" -p runtime=cpu "${CPU_ITER[@]}" -f 1
  RESULTS+=("$OUT/jmh-cpu.json")
fi
if [[ "$RUNTIME" == opencl || "$RUNTIME" == all ]]; then
  # the engine benchmark has no runtime: it calls the CPU runtime's GEMM directly
  jmh "$OUT/jmh-opencl.json" "$INCLUDE" -e GemmEngineBenchmark -p runtime=opencl "${CL_ITER[@]}" -f 1
  RESULTS+=("$OUT/jmh-opencl.json")
fi

# ---------------------------------------------------------------- the table
TABLE="$OUT/table.md"
"$PYTHON" bench/pytorch/report.py --jmh "${RESULTS[@]}" --torch "$OUT/pytorch.json" --engine "$ENGINE" > "$TABLE"
echo
echo "ScopeFlow (GEMM engine $(sed -n 's/^cpu.gemm engine: //p' "$ENV_FILE"), $THREADS threads) vs PyTorch $(sed -n 's/^torch: \([^ ]*\).*/\1/p' "$ENV_FILE")" \
  "($THREADS threads, OMP_WAIT_POLICY=${TORCH_OMP_WAIT_POLICY:-default}); ratio = PyTorch ms / ScopeFlow ms, above 1 means ScopeFlow is faster"
cat "$TABLE"
echo
echo "PyTorch BLAS: $("$PYTHON" -c 'import json, os, sys
libs = json.load(open(sys.argv[1]))["info"]["blas_libraries"]
names = [os.path.basename(l) for l in libs]
print(", ".join(n for n in names if "blas" in n) or "none found")' "$OUT/pytorch.json")"
echo "machine: $(sed -n 's/^cpu: //p' "$ENV_FILE"); load average $(sed -n 's/^load average at start: //p' \
  "$ENV_FILE") at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; results in $OUT"
