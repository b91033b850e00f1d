"""PEP 517 backend for `pip install ./python`: maturin, with the build environment of
`cargo xtask setup`.

HiGHS is built from source by `highs-sys` (cmake, and libclang for bindgen). Like xtask's set-up,
this asks for cmake and libclang from PyPI as build requirements when the machine has none, and points cargo at them through environment variables, so that
`pip install ./python` works on a machine with only Rust, gcc, pip and the system OpenBLAS.
`CMAKE_TOOLCHAIN_FILE` (HiPO against the system OpenBLAS) comes from the repository's
`.cargo/config.toml`, as for every cargo build in the workspace; `CARGO_TARGET_DIR` is used when
set, so a target directory with the workspace's release build (and its HiGHS) is reused.
Variables already set are left alone.
"""

from __future__ import annotations

import os
import shutil

import maturin as _maturin


def _set_build_environment() -> None:
    if shutil.which("cmake") is None:
        try:
            import cmake

            os.environ["PATH"] = cmake.CMAKE_BIN_DIR + os.pathsep + os.environ.get("PATH", "")
        except ImportError:
            pass
    if "LIBCLANG_PATH" not in os.environ:
        try:
            import clang

            native = os.path.join(os.path.dirname(clang.__file__), "native")
            if os.path.isdir(native):
                os.environ["LIBCLANG_PATH"] = native
        except ImportError:
            pass
    os.environ.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _set_build_environment()
    return _maturin.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    _set_build_environment()
    return _maturin.build_editable(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    return _maturin.build_sdist(sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _maturin.prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def _tool_requirements() -> list[str]:
    """cmake and libclang from PyPI, only when the machine lacks them (as xtask's set-up)."""
    needed = []
    if shutil.which("cmake") is None:
        needed.append("cmake")
    if "LIBCLANG_PATH" not in os.environ:
        needed.append("libclang")
    return needed


def get_requires_for_build_wheel(config_settings=None):
    return list(_maturin.get_requires_for_build_wheel(config_settings)) + _tool_requirements()


def get_requires_for_build_editable(config_settings=None):
    return list(_maturin.get_requires_for_build_editable(config_settings)) + _tool_requirements()


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    return _maturin.prepare_metadata_for_build_editable(metadata_directory, config_settings)


def get_requires_for_build_sdist(config_settings=None):
    return _maturin.get_requires_for_build_sdist(config_settings)
