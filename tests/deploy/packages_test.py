#!/usr/bin/env python3
"""The two Debian packages, built by deploy/build-packages.sh from this build tree and checked:
file lists (programs in /usr/bin, units, sysusers.d and tmpfiles.d files, the /etc files as conffiles),
Depends (dpkg-shlibdeps' libraries, the kiosk's cage/xwayland/fonts, nothing from the test stack), the
maintainer scripts (valid sh, sysusers/tmpfiles run, systemctl only when systemd runs, nothing under
/var/lib removed); then both unpacked into a scratch root whose programs run from there: `feedback-central
--help`, `kiosk add`/`kiosk list` on a temporary database, `feedback-kiosk status` with the shipped config,
and the shipped sysusers.d and tmpfiles.d files applied to the scratch root (as root only).

Usage: packages_test.py SOURCE_DIR BUILD_DIR        (builds the packages from BUILD_DIR, then checks them)
       packages_test.py SOURCE_DIR --debs DIR        (checks the packages already in DIR, e.g. build-deb/packages)
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import tomllib

# Test-stack packages that must never be a dependency of either package.
FORBIDDEN = re.compile(r"^(postgresql(-\d+)?|chromium.*|xvfb|xauth|xdotool|imagemagick.*|catch2|"
                       r"libcpp-httplib.*|nginx.*|clang-format.*|.*-dev|build-essential|cmake|ninja-build)$")

EXPECTED = {
    "kiosk": {
        "files": ["./usr/bin/feedback-kiosk", "./usr/lib/systemd/system/feedback-kiosk.service",
                  "./usr/lib/sysusers.d/feedback-kiosk.conf", "./usr/lib/tmpfiles.d/feedback-kiosk.conf",
                  "./etc/feedback-kiosk/kiosk.toml", "./usr/share/doc/feedback-kiosk/kiosk.example.toml",
                  "./usr/libexec/feedback-kiosk/kiosk-session"],
        "conffiles": ["/etc/feedback-kiosk/kiosk.toml"],
        # explicit run-time needs, then libraries only dpkg-shlibdeps can have put there
        "depends": ["cage", "xwayland", "fonts-noto-core", "fonts-noto-cjk", "libgl1-mesa-dri", "systemd",
                    "libsdl2-2.0-0", "libsqlite3-0", "libcurl4", "libfontconfig1", "libfribidi0", "libsodium23"],
    },
    "central": {
        "files": ["./usr/bin/feedback-central", "./usr/lib/systemd/system/feedback-central.service",
                  "./usr/lib/sysusers.d/feedback-central.conf", "./usr/lib/tmpfiles.d/feedback-central.conf",
                  "./etc/feedback-central/central.toml"],
        "conffiles": ["/etc/feedback-central/central.toml"],
        "depends": ["systemd", "libsqlite3-0", "libpq5", "libssl3", "libsodium23", "zlib1g"],
    },
}

failures = []


def check(condition: bool, message: str) -> None:
    if not condition:
        failures.append(message)
        print(f"FAIL: {message}")


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)


def dependency_names(depends: str) -> list:
    names = []
    for clause in depends.split(","):
        for alternative in clause.split("|"):
            names.append(alternative.strip().split(" ")[0].split(":")[0])
    return names


def check_package(deb: pathlib.Path, component: str, scratch: pathlib.Path) -> None:
    expected = EXPECTED[component]
    name = f"feedback-{component}"
    print(f"== {deb.name}")
    files = run("dpkg-deb", "-c", deb).stdout.splitlines()
    paths = [line.split()[-1] if " -> " not in line else line.split()[-3] for line in files]
    for path in expected["files"]:
        check(path in paths, f"{deb.name}: {path} missing from the file list")
    binary = [line for line in files if line.endswith(f"./usr/bin/{name}")]
    check(bool(binary) and binary[0].startswith("-rwxr-xr-x"), f"{deb.name}: /usr/bin/{name} not 0755")
    check(not any(p.startswith("./var/") for p in paths), f"{deb.name}: ships files under /var (data is made "
                                                          "by tmpfiles.d, never by the package)")
    print(f"   {len(paths)} entries, {len([p for p in paths if not p.endswith('/')])} files")

    check(run("dpkg-deb", "-f", deb, "Package").stdout.strip() == name, f"{deb.name}: Package is not {name}")
    depends = run("dpkg-deb", "-f", deb, "Depends").stdout.strip()
    print(f"   Depends: {depends}")
    names = dependency_names(depends)
    for wanted in expected["depends"]:
        check(wanted in names, f"{deb.name}: Depends lacks {wanted}")
    for bad in [n for n in names if FORBIDDEN.match(n)]:
        check(False, f"{deb.name}: depends on the test or build stack: {bad}")

    control = scratch / f"control-{component}"
    check(run("dpkg-deb", "-e", deb, control).returncode == 0, f"{deb.name}: no control area")
    conffiles = (control / "conffiles").read_text().split() if (control / "conffiles").exists() else []
    check(conffiles == expected["conffiles"], f"{deb.name}: conffiles {conffiles}, not {expected['conffiles']}")
    for script in ("postinst", "prerm", "postrm"):
        path = control / script
        if not path.exists():
            check(False, f"{deb.name}: no {script}")
            continue
        text = path.read_text()
        check(os.access(path, os.X_OK), f"{deb.name}: {script} is not executable")
        check(run("sh", "-n", path).returncode == 0, f"{deb.name}: {script} is not valid sh")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        check(not re.search(r"\brm\b|/var/lib", code), f"{deb.name}: {script} touches files or /var/lib")
        # systemctl only where systemd is running (a chroot or image build has none)
        for line in code.splitlines():
            if "systemctl" in line:
                guarded = "/run/systemd/system" in code.split(line)[0].splitlines()[-1] or \
                    "/run/systemd/system" in "\n".join(code.split(line)[0].splitlines()[-6:])
                check(guarded, f"{deb.name}: {script}: systemctl not guarded by /run/systemd/system: {line.strip()}")
    postinst = (control / "postinst").read_text()
    for needed in (f"systemd-sysusers /usr/lib/sysusers.d/{name}.conf",
                   f"systemd-tmpfiles --create /usr/lib/tmpfiles.d/{name}.conf",
                   f"deb-systemd-helper update-state {name}.service"):
        check(needed in postinst, f"{deb.name}: postinst lacks `{needed}`")


def main() -> None:
    source, build = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    for tool in ("dpkg-deb", "dpkg-shlibdeps", "cpack"):
        if run("sh", "-c", f"command -v {tool}").returncode != 0:
            print(f"SKIP: {tool} is missing (install-deps.sh's build group)")
            sys.exit(77)
    with tempfile.TemporaryDirectory(prefix="fk-packages-") as tmp:
        scratch = pathlib.Path(tmp)
        out = scratch / "debs"
        started = time.monotonic()
        if sys.argv[2] == "--debs":
            out = pathlib.Path(sys.argv[3])
        else:
            built = run("bash", source / "deploy/build-packages.sh", build, out,
                        env={**os.environ, "FK_SKIP_DEPS": "1"})
            print(f"deploy/build-packages.sh: exit {built.returncode} in {time.monotonic() - started:.1f} s")
            if built.returncode != 0:
                print(built.stdout[-4000:], built.stderr[-4000:])
                sys.exit(1)
        debs = {c: sorted(out.glob(f"feedback-{c}_*.deb")) for c in EXPECTED}
        for component, found in debs.items():
            if len(found) != 1:
                print(f"FAIL: expected one feedback-{component}_*.deb in {sorted(p.name for p in out.iterdir())}")
                sys.exit(1)
            check_package(found[0], component, scratch)

        root = scratch / "root"
        for found in debs.values():
            check(run("dpkg-deb", "-x", found[0], root).returncode == 0, f"dpkg -x {found[0].name} failed")
        kiosk, central = root / "usr/bin/feedback-kiosk", root / "usr/bin/feedback-central"
        for program in (kiosk, central):
            dynamic = run("readelf", "-d", program).stdout
            check("RPATH" not in dynamic and "RUNPATH" not in dynamic, f"{program.name} keeps a build RPATH")
            check("not found" not in run("ldd", program).stdout, f"{program.name}: a library is not found")

        helped = run(central, "--help")
        check(helped.returncode == 0 and "serve" in helped.stdout, f"feedback-central --help: {helped.stderr}")
        db = scratch / "central.sqlite"
        added = run(central, "kiosk", "add", "lobby-1", "--site", "Central Division", "--db", db)
        check(added.returncode == 0 and added.stdout.strip() != "", f"kiosk add: {added.stdout}{added.stderr}")
        listed = run(central, "kiosk", "list", "--db", db)
        check(listed.returncode == 0 and "lobby-1" in listed.stdout, f"kiosk list: {listed.stdout}{listed.stderr}")

        central_toml = tomllib.loads((root / "etc/feedback-central/central.toml").read_text())
        check(central_toml == {"listen": "127.0.0.1:8080", "database": "/var/lib/feedback-central/central.sqlite"},
              f"central.toml's active keys: {central_toml}")
        data = scratch / "kiosk-data"
        env = {**os.environ, "HOME": str(scratch), "XDG_CONFIG_HOME": str(scratch / "config")}
        status = run(kiosk, "status", "--config", root / "etc/feedback-kiosk/kiosk.toml", "--data-dir", data, env=env)
        print(f"feedback-kiosk status (shipped kiosk.toml): exit {status.returncode}\n{status.stdout}{status.stderr}")
        check(status.returncode == 0 and f"data directory: {data}" in status.stdout, "feedback-kiosk status failed")

        if os.geteuid() == 0:
            for name in ("feedback-kiosk", "feedback-central"):
                users = run("systemd-sysusers", f"--root={root}", root / f"usr/lib/sysusers.d/{name}.conf")
                check(users.returncode == 0, f"systemd-sysusers {name}.conf: {users.stderr}")
                made = run("systemd-tmpfiles", f"--root={root}", "--create", root / f"usr/lib/tmpfiles.d/{name}.conf")
                check(made.returncode == 0, f"systemd-tmpfiles {name}.conf: {made.stderr}")
                passwd = (root / "etc/passwd").read_text() if (root / "etc/passwd").exists() else ""
                entry = [line for line in passwd.splitlines() if line.startswith(f"{name}:")]
                check(len(entry) == 1, f"{name} not in the scratch root's /etc/passwd")
                state = root / f"var/lib/{name}"
                if entry and state.is_dir():
                    uid = int(entry[0].split(":")[2])
                    info = state.stat()
                    check(info.st_uid == uid and (info.st_mode & 0o777) == 0o700,
                          f"/var/lib/{name}: uid {info.st_uid} mode {oct(info.st_mode & 0o777)}")
                else:
                    check(False, f"/var/lib/{name} not created by tmpfiles.d")
            group = (root / "etc/group").read_text()
            check(re.search(r"^video:.*feedback-kiosk", group, re.M) is not None, "feedback-kiosk not in group video")
        else:
            print("note: not root, sysusers.d and tmpfiles.d files not applied to the scratch root")

    print(f"{'FAILED: ' + str(len(failures)) if failures else 'ok'} ({time.monotonic() - started:.1f} s in all)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
