"""`pip install --no-build-isolation --no-index ./bindings/python` in fresh venvs, then zhibiao from elsewhere.

Usage: pip_install_test.py WORK_DIR ZHIBIAO_CLI

Run by CTest (python_pip_install) with the interpreter CMake found. In WORK_DIR it makes a venv with
--system-site-packages, installs the package from the source directory (pip builds it in place, so
setup.py finds the repository two directories up) and, in a second venv, from an sdist made in WORK_DIR
(setup.py then finds the repository through the path recorded in the sdist). Each installed package must
carry its own libzhibiao.so and, imported from a directory outside the source tree with no ZHIBIAO_*
variable set, roll up examples/county exactly as `zhibiao rollup` does; ZHIBIAO_LIBRARY still overrides.
Exit 77 (a CTest skip) when the interpreter lacks venv, pip, setuptools or wheel.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
SOURCE = os.path.dirname(os.path.dirname(PACKAGE))
COUNTY = os.path.join(SOURCE, "examples", "county")

# Runs inside the installed venv, from a directory outside the source tree.
ROLLUP = """
import os, sys, zhibiao
out, county = sys.argv[1], sys.argv[2]
print(zhibiao.library_path())
with zhibiao.Model.from_files(regions=os.path.join(county, "regions.csv"),
                              indicators=os.path.join(county, "indicators.csv"),
                              observations=os.path.join(county, "observations.csv")) as m:
    m.write_rollup(out)
    print(m.value("441521000000", "2021年1-9月", "urban_new_employment").value)
"""


def clean_env():
    """The environment without anything that would point the package or the build at the source tree."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ZHIBIAO_") and k not in ("PYTHONPATH", "LD_PRELOAD", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def make_venv(path):
    shutil.rmtree(path, ignore_errors=True)
    run([sys.executable, "-m", "venv", "--system-site-packages", path])
    python = os.path.join(path, "bin", "python")
    probe = subprocess.run([python, "-c", "import setuptools, wheel, pip"], capture_output=True, text=True)
    if probe.returncode != 0:
        print("SKIP: {} cannot build a wheel without PyPI (needs pip, setuptools and wheel; Debian: "
              "python3-pip python3-setuptools python3-wheel python3-venv): {}".format(
                  sys.executable, probe.stderr.strip().splitlines()[-1:]))
        sys.exit(SKIP)
    return python


def install(python, target, work, env):
    env = dict(env)
    # A kept CMake directory makes a second install incremental; setuptools' own build/ and egg-info go
    # to the work directory rather than into the source tree.
    env["ZHIBIAO_CMAKE_BUILD_DIR"] = os.path.join(work, "cmake")
    env["ZHIBIAO_BUILD_BASE"] = os.path.join(work, "setuptools")
    run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index", target], env=env, cwd=work)


def check_installed(python, venv, cli, work):
    env = clean_env()
    outside = tempfile.mkdtemp(prefix="zhibiao-outside-")
    try:
        got = os.path.join(outside, "rollup.csv")
        r = run([python, "-c", ROLLUP, got, COUNTY], env=env, cwd=outside, capture_output=True, text=True)
        library, value = r.stdout.split()
        site = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "zhibiao", "libzhibiao.so"))
        assert len(site) == 1 and os.path.realpath(library) == os.path.realpath(site[0]), (library, site)
        expected_csv = os.path.join(outside, "cli.csv")
        run([cli, "rollup", "--quiet", "--regions", os.path.join(COUNTY, "regions.csv"),
             "--indicators", os.path.join(COUNTY, "indicators.csv"),
             "--observations", os.path.join(COUNTY, "observations.csv"), "--out", expected_csv])
        with open(got, "rb") as a, open(expected_csv, "rb") as b:
            mine, theirs = a.read(), b.read()
        assert mine == theirs, "the installed package's roll-up differs from zhibiao rollup's"
        assert theirs.count(b"\n") > 1000, "the county roll-up is unexpectedly small"
        line = [x for x in theirs.decode().splitlines() if x.startswith("441521000000,2021-09,urban_new_employment,")]
        assert len(line) == 1 and line[0].split(",")[4] == value, (line, value)
        # ZHIBIAO_LIBRARY still wins over the library inside the package.
        env["ZHIBIAO_LIBRARY"] = os.path.join(work, "cmake", "libzhibiao.so")
        r = run([python, "-c", "import zhibiao; print(zhibiao.library_path())"], env=env, cwd=outside,
                capture_output=True, text=True)
        assert r.stdout.strip() == os.path.abspath(env["ZHIBIAO_LIBRARY"]), r.stdout
    finally:
        shutil.rmtree(outside, ignore_errors=True)


def main():
    work, cli = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    os.makedirs(work, exist_ok=True)
    env = clean_env()

    venv = os.path.join(work, "venv-dir")
    python = make_venv(venv)
    install(python, PACKAGE, work, env)
    check_installed(python, venv, cli, work)
    print("ok: installed from the directory")

    dist = os.path.join(work, "dist")
    shutil.rmtree(dist, ignore_errors=True)
    sdist_env = dict(env, ZHIBIAO_BUILD_BASE=os.path.join(work, "setuptools"))
    run([python, "setup.py", "-q", "sdist", "-d", dist], cwd=PACKAGE, env=sdist_env)
    tarball = glob.glob(os.path.join(dist, "zhibiao-*.tar.gz"))
    assert len(tarball) == 1, tarball
    venv2 = os.path.join(work, "venv-sdist")
    python2 = make_venv(venv2)
    install(python2, tarball[0], work, env)
    check_installed(python2, venv2, cli, work)
    print("ok: installed from an sdist, built from the recorded source tree")


if __name__ == "__main__":
    main()
