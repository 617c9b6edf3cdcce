#!/usr/bin/env bash
# Builds ScopeFlow and runs every test: the graph and ops unit tests, and the runtime-independent conformance suite
# against each runtime. Needs JDK 17+ and Maven 3.8+; the OpenCL runtime's tests need an OpenCL driver and the ICD
# loader (PoCL runs OpenCL on the CPU), installed here when missing and possible.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "scripts/test.sh: '$1' is missing; $2" >&2; exit 2; }
}
need java "install a JDK 17 or newer (e.g. apt-get install -y openjdk-17-jdk-headless)"
need mvn "install Maven 3.8 or newer (e.g. apt-get install -y maven)"

# The OpenCL runtime's tests need an OpenCL driver (PoCL when no other is there): without one they skip on a
# developer machine and fail under CI=true. OpenBLAS is the CPU runtime's fastest GEMM engine; under CI=true it must
# load. Both are installed here when missing and possible (root or password-less sudo).
sp_caller="scripts/test.sh"
. scripts/lib/system-packages.sh
sp_ensure_opencl || echo "scripts/test.sh: the OpenCL tests will skip (or fail under CI=true)" >&2
sp_ensure_openblas || true

exec mvn -B -ntp "$@" verify
