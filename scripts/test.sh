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

# Packages are installed with apt-get as root, or through password-less sudo; "none" when neither is possible.
if [ "$(id -u)" = 0 ]; then
  sudo_cmd=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo_cmd="sudo"
else
  sudo_cmd="none"
fi

# OpenCL: a vendor driver registered with the ICD loader, and libOpenCL.so (JOCL loads that name, which only the
# -dev package provides). Without them the OpenCL tests skip on a developer machine and fail under CI=true.
opencl_packages="pocl-opencl-icd ocl-icd-libopencl1 ocl-icd-opencl-dev"
opencl_present() {
  compgen -G "/etc/OpenCL/vendors/*.icd" >/dev/null || return 1
  local pattern
  for pattern in "/usr/lib/*/libOpenCL.so" /usr/lib/libOpenCL.so /usr/lib64/libOpenCL.so /usr/local/lib/libOpenCL.so; do
    compgen -G "$pattern" >/dev/null && return 0
  done
  ldconfig -p 2>/dev/null | grep -q 'libOpenCL\.so '
}
if ! opencl_present; then
  if command -v apt-get >/dev/null 2>&1; then
    if [ "$sudo_cmd" != none ]; then
      echo "scripts/test.sh: installing OpenCL on the CPU ($opencl_packages)" >&2
      $sudo_cmd apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $opencl_packages >/dev/null
    fi
  fi
  opencl_present || echo "scripts/test.sh: no OpenCL driver/loader; the OpenCL tests will skip (or fail under" \
    "CI=true). Install: apt-get install $opencl_packages" >&2
fi

# OpenBLAS: the CPU runtime's fastest GEMM engine (a pure-Java engine takes over without it). Debian's libblas.so.3
# may be the slow reference BLAS, so the runtime loads libopenblas.so.0 by name; install it when missing.
openblas_present() {
  ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0 '
}
if ! openblas_present && command -v apt-get >/dev/null 2>&1 && [ "$sudo_cmd" != none ]; then
  echo "scripts/test.sh: installing OpenBLAS (libopenblas0-pthread)" >&2
  { $sudo_cmd apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libopenblas0-pthread; } >/dev/null ||
    echo "scripts/test.sh: could not install libopenblas0-pthread" >&2
fi
openblas_present || echo "scripts/test.sh: OpenBLAS is not installed; the CPU runtime will use its pure-Java GEMM" \
  "engine (apt-get install libopenblas0-pthread)" >&2

exec mvn -B -ntp "$@" verify
