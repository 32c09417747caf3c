"""Packaging of the zhibiao Python binding: builds libzhibiao with CMake and ships it inside the package.

`pip install --no-build-isolation ./bindings/python` runs this through setuptools' PEP 517 backend. The
library is compiled from the repository that contains bindings/python; that repository is, in order:

1. $ZHIBIAO_SOURCE_DIR;
2. two directories above this file (pip builds a local directory in place);
3. the path recorded in ``zhibiao_source_dir.txt`` when an sdist was made (an sdist holds only the
   Python files, so a build from it compiles the tree it came from).

The version is read from that tree's top-level CMakeLists.txt (``project(zhibiao VERSION x.y.z``), the
one place it is written. Environment knobs: $ZHIBIAO_CMAKE_BUILD_DIR keeps the CMake build directory
between builds (default: a fresh temporary one), $ZHIBIAO_BUILD_BASE moves setuptools' build/ and
egg-info out of the source tree, $CMAKE_BUILD_PARALLEL_LEVEL sets the compile jobs (default 2).
"""

import glob
import os
import re
import shutil
import subprocess
import tempfile

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
RECORD = "zhibiao_source_dir.txt"
_VERSION_RE = re.compile(r"project\(\s*zhibiao\s+VERSION\s+([0-9]+(?:\.[0-9]+)*)")


def _cmake_version(root):
    try:
        with open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8") as f:
            m = _VERSION_RE.search(f.read())
    except OSError:
        return None
    return m.group(1) if m else None


def _is_source_tree(root):
    return bool(root) and _cmake_version(root) is not None and os.path.isfile(
        os.path.join(root, "bindings", "python", "setup.py"))


def source_dir():
    """The zhibiao repository to build the library from (see the module docstring)."""
    tried = []
    env = os.environ.get("ZHIBIAO_SOURCE_DIR")
    if env:
        tried.append(env)
    tried.append(os.path.normpath(os.path.join(HERE, os.pardir, os.pardir)))
    record = os.path.join(HERE, RECORD)
    if os.path.isfile(record):
        with open(record, encoding="utf-8") as f:
            tried.append(f.read().strip())
    for root in tried:
        if _is_source_tree(root):
            return os.path.abspath(root)
    raise SystemExit("zhibiao: cannot find the repository to build libzhibiao from (tried {}); set "
                     "ZHIBIAO_SOURCE_DIR to the directory holding CMakeLists.txt and bindings/python".format(
                         ", ".join(tried)))


def build_library(root, build_dir):
    """Configures and builds the `zhibiao` target of `root` in `build_dir`; the path of the real .so file."""
    configure = ["cmake", "-S", root, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release", "-DZHIBIAO_TEST=OFF",
                 "-DZHIBIAO_EXAMPLES=OFF", "-DZHIBIAO_BENCH=OFF", "-DZHIBIAO_INSTALL=OFF"]
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
    build = ["cmake", "--build", build_dir, "--target", "zhibiao", "-j", jobs]
    for cmd in (configure, build):
        print("zhibiao: " + " ".join(cmd), flush=True)
        try:
            subprocess.run(cmd, check=True)
        except FileNotFoundError:
            raise SystemExit("zhibiao: cmake is not installed; it is needed to build libzhibiao "
                             "(Debian: apt-get install cmake g++ libboost-dev libfmt-dev)") from None
        except subprocess.CalledProcessError as e:
            raise SystemExit("zhibiao: building libzhibiao failed ({})".format(e)) from None
    # libzhibiao.so is a symlink chain to the versioned file; the package gets one real file.
    found = [p for p in glob.glob(os.path.join(build_dir, "libzhibiao.so*")) if not os.path.islink(p)]
    if len(found) != 1:
        raise SystemExit("zhibiao: expected one built libzhibiao.so in {}, found {}".format(build_dir, found))
    return found[0]


class BuildPyWithLibrary(build_py):
    """build_py that also compiles libzhibiao and puts it next to the package's modules."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install uses the package in place, which finds <repo>/build itself
        root = source_dir()
        kept = os.environ.get("ZHIBIAO_CMAKE_BUILD_DIR")
        if kept:
            os.makedirs(kept, exist_ok=True)
            built = build_library(root, os.path.abspath(kept))
            self._copy_library(built)
        else:
            with tempfile.TemporaryDirectory(prefix="zhibiao-cmake-") as d:
                self._copy_library(build_library(root, d))

    def _copy_library(self, built):
        target = os.path.join(self.build_lib, "zhibiao", "libzhibiao.so")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built, target)
        shutil.copymode(built, target)


class SdistWithSource(sdist):
    """sdist that records which repository a later build from the tarball compiles the library from."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        record = os.path.join(base_dir, RECORD)
        if os.path.exists(record):
            os.remove(record)  # may be a hard link to a file of the tree
        with open(record, "w", encoding="utf-8") as f:
            f.write(source_dir() + "\n")


class BinaryDistribution(Distribution):
    """The wheel carries a compiled library, so it is tagged for this platform and Python."""

    def has_ext_modules(self):
        return True


def _version():
    root = None
    try:
        root = source_dir()
    except SystemExit:
        pass
    if root:
        return _cmake_version(root)
    # Building metadata from an sdist whose tree is gone: its PKG-INFO still says the version.
    with open(os.path.join(HERE, "PKG-INFO"), encoding="utf-8") as f:
        return re.search(r"^Version:\s*(\S+)", f.read(), re.M).group(1)


_options = {}
if os.environ.get("ZHIBIAO_BUILD_BASE"):
    _base = os.path.abspath(os.environ["ZHIBIAO_BUILD_BASE"])
    _options = {"build": {"build_base": _base}, "egg_info": {"egg_base": _base}}
    os.makedirs(_base, exist_ok=True)

setup(
    version=_version(),
    cmdclass={"build_py": BuildPyWithLibrary, "sdist": SdistWithSource},
    distclass=BinaryDistribution,
    options=_options,
)
