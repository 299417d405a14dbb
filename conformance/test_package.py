"""`make deb`: the Debian package of the build, its contents, its control
data, its maintainer scripts and its systemd unit (`systemd-analyze verify`
on the unpacked package). The package does not depend on --engine, so this
runs once, with --engine rocksdb."""
import os
import re
import subprocess

import pytest

from conftest import BINARY

BUILD = os.path.dirname(os.path.dirname(BINARY))
UNIT = "usr/lib/systemd/system/jormundb.service"

pytestmark = pytest.mark.once


def run(args):
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def deb(workdir, engine):
    out = os.path.join(workdir, "packages")
    # What `make deb` runs, into a folder of the test's own.
    run(["cpack", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", out])
    debs = [f for f in os.listdir(out) if f.endswith(".deb")]
    assert len(debs) == 1, debs
    return os.path.join(out, debs[0])


@pytest.fixture(scope="module")
def unpacked(workdir, deb):
    root = os.path.join(workdir, "deb-root")
    run(["dpkg-deb", "-x", deb, root])
    run(["dpkg-deb", "-e", deb, os.path.join(root, "DEBIAN")])
    return root


def test_the_package_holds_the_server_plugins_kit_sdk_configs_and_unit(deb):
    listing = run(["dpkg-deb", "-c", deb])
    paths = {re.sub(r" -> .*$", "", line.split(None, 5)[5]) for line in listing.splitlines()}
    for path in ("./usr/bin/jormundb", "./usr/bin/jormun-engine-check", "./usr/bin/jormun-admin",
                 "./usr/lib/jormun/jormundb", "./usr/lib/jormun/jormun-engine-check",
                 "./usr/lib/jormun/jormun_rocksdb.so", "./usr/lib/jormun/jormun_sqlite.so",
                 "./usr/lib/jormun/jormun_lmdb.so", "./etc/jormun/jormun.yaml",
                 "./" + UNIT, "./usr/include/jormun/engine.h",
                 "./usr/lib/cmake/Jormun/JormunConfig.cmake",
                 "./usr/lib/pkgconfig/jormun-plugin.pc",
                 "./usr/share/doc/jormundb/plugin-api.md"):
        assert path in paths, f"{path} missing from:\n{listing}"
    assert not any(p.startswith("./usr/etc") for p in paths), listing
    assert "./usr/bin/jormundb -> ../lib/jormun/jormundb" in listing


def test_the_control_data_names_the_dependencies_and_maintainer_scripts(deb):
    info = run(["dpkg-deb", "-I", deb])
    assert re.search(r"^ Package: jormundb$", info, re.M), info
    depends = re.search(r"^ Depends: (.*)$", info, re.M).group(1)
    # From dpkg-shlibdeps, and adduser for the postinst.
    for package in ("adduser", "librocksdb", "libsqlite3", "liblmdb"):
        assert package in depends, depends
    for script in ("postinst", "prerm", "postrm", "conffiles"):
        assert re.search(rf"\b{script}\b", info), info


def test_the_postinst_creates_the_user_and_the_data_directory(unpacked):
    control = os.path.join(unpacked, "DEBIAN")
    postinst = open(os.path.join(control, "postinst")).read()
    assert re.search(r"adduser --system --group .*jormun", postinst.replace("\\\n", " "))
    assert "install -d -o jormun -g jormun -m 0750 /var/lib/jormun" in postinst
    assert os.access(os.path.join(control, "postinst"), os.X_OK)
    conffiles = open(os.path.join(control, "conffiles")).read().split()
    assert "/etc/jormun/jormun.yaml" in conffiles


def test_the_unit_runs_as_jormun_hardened_and_verifies(unpacked):
    unit = open(os.path.join(unpacked, UNIT)).read()
    for line in ("User=jormun",
                 "ExecStart=/usr/bin/jormundb --config /etc/jormun/jormun.yaml "
                 "--data-dir /var/lib/jormun",
                 "LimitNOFILE=", "NoNewPrivileges=yes", "ProtectSystem=strict",
                 "ReadWritePaths=/var/lib/jormun", "PrivateTmp=yes"):
        assert re.search(rf"^{re.escape(line)}", unit, re.M), line
    # In the unpacked package as root: ExecStart's binary must exist there;
    # the targets it orders itself after belong to the host, not checked.
    done = subprocess.run(["systemd-analyze", "verify", f"--root={unpacked}",
                           "--recursive-errors=no", "/" + UNIT],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_the_packaged_programs_run_and_explain_themselves(unpacked):
    help_text = run([os.path.join(unpacked, "usr", "bin", "jormundb"), "--help"])
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "ENVIRONMENT", "FILES",
                    "EXIT STATUS", "SEE ALSO"):
        assert re.search(rf"^{section}$", help_text, re.M), section
    kit_help = run([os.path.join(unpacked, "usr", "bin", "jormun-engine-check"), "--help"])
    assert re.search(r"^SYNOPSIS$", kit_help, re.M) and "EXIT STATUS" in kit_help
    admin_help = run([os.path.join(unpacked, "usr", "bin", "jormun-admin"), "--help"])
    assert re.search(r"^SYNOPSIS$", admin_help, re.M) and "EXIT STATUS" in admin_help
    # The packaged kit passes a packaged (stripped) plugin.
    out = run([os.path.join(unpacked, "usr", "bin", "jormun-engine-check"),
               os.path.join(unpacked, "usr", "lib", "jormun", "jormun_lmdb.so"),
               "--only", "exports:"])
    assert "1 passed, 0 failed" in out, out
