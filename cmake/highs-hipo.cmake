# Toolchain file read by HiGHS's CMake when `highs-sys` builds it with the `hipo` feature
# (set through CMAKE_TOOLCHAIN_FILE in .cargo/config.toml).
#
# highs-sys 1.16 asks for BUILD_OPENBLAS=ON, which makes HiGHS's CMake clone and build OpenBLAS
# from GitHub at build time. atomplan builds offline, so it links the system OpenBLAS instead
# (Debian: libopenblas-dev, installed by `cargo xtask setup`). A toolchain file is read after the
# command-line cache entries and before HiGHS's own `option()` calls, so this overrides them.
set(BUILD_OPENBLAS OFF CACHE BOOL "atomplan: link the system OpenBLAS (libopenblas-dev)" FORCE)

# highs-sys then links `static=openblas` from HiGHS's install directory: highs-openblas.cmake
# (run after each project() call) installs the system libopenblas.a there.
set(CMAKE_PROJECT_INCLUDE "${CMAKE_CURRENT_LIST_DIR}/highs-openblas.cmake")
