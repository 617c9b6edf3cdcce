# Sourced by scripts/test.sh and ./scopeflow: installs the native pieces ScopeFlow uses when they are missing and
# this machine allows it (root, or password-less sudo, and apt-get): the OpenCL driver and loader (PoCL runs OpenCL
# on the CPU), and OpenBLAS (the CPU runtime's fastest GEMM engine). Messages go to stderr, prefixed with $sp_caller.

sp_caller="${sp_caller:-scopeflow}"

# How packages are installed: "" as root, "sudo" through password-less sudo, "none" when neither is possible.
if [ "$(id -u)" = 0 ]; then
  sp_sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sp_sudo="sudo"
else
  sp_sudo="none"
fi

sp_can_install() {
  command -v apt-get >/dev/null 2>&1 && [ "$sp_sudo" != none ]
}

sp_apt_updated=""
sp_apt_install() {
  if [ -z "$sp_apt_updated" ]; then
    $sp_sudo apt-get update -qq >/dev/null || return 1
    sp_apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sp_sudo apt-get install -y -qq "$@" >/dev/null
}

# OpenCL: a vendor driver registered with the ICD loader, and libOpenCL.so (JOCL loads that name, which only the
# -dev package provides).
sp_opencl_packages="pocl-opencl-icd ocl-icd-libopencl1 ocl-icd-opencl-dev"
sp_opencl_present() {
  compgen -G "/etc/OpenCL/vendors/*.icd" >/dev/null || return 1
  local pattern
  for pattern in "/usr/lib/*/libOpenCL.so" /usr/lib/libOpenCL.so /usr/lib64/libOpenCL.so /usr/local/lib/libOpenCL.so; do
    compgen -G "$pattern" >/dev/null && return 0
  done
  ldconfig -p 2>/dev/null | grep -q 'libOpenCL\.so '
}

# Installs PoCL when no OpenCL driver is there; returns non-zero (having said so) when OpenCL is still missing.
sp_ensure_opencl() {
  sp_opencl_present && return 0
  if sp_can_install; then
    echo "$sp_caller: installing OpenCL on the CPU ($sp_opencl_packages)" >&2
    sp_apt_install $sp_opencl_packages || echo "$sp_caller: could not install $sp_opencl_packages" >&2
  fi
  sp_opencl_present && return 0
  echo "$sp_caller: no OpenCL driver/loader. Install one: apt-get install $sp_opencl_packages (or a GPU" \
    "vendor's OpenCL driver)" >&2
  return 1
}

# OpenBLAS: Debian's libblas.so.3 may be the slow reference BLAS, so the CPU runtime loads libopenblas.so.0 by name.
sp_openblas_present() {
  ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0 '
}

# Installs libopenblas0-pthread when missing; without it the CPU runtime uses its pure-Java GEMM engine (slower).
sp_ensure_openblas() {
  sp_openblas_present && return 0
  if sp_can_install; then
    echo "$sp_caller: installing OpenBLAS (libopenblas0-pthread)" >&2
    sp_apt_install libopenblas0-pthread || echo "$sp_caller: could not install libopenblas0-pthread" >&2
  fi
  sp_openblas_present && return 0
  echo "$sp_caller: OpenBLAS is not installed; the CPU runtime will use its pure-Java GEMM engine" \
    "(apt-get install libopenblas0-pthread)" >&2
  return 1
}
