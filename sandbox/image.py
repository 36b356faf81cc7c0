"""The sandbox image: built offline from Debian's packages, since no registry may be reachable.

`debootstrap` makes a minimal Debian with python3 and pypy3 in a folder, and `docker import`
turns the folder into an image. Where that image is absent but a stock `python` image is
present, we use that instead (CPython only)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from cpagent.sandbox.errors import SandboxUnavailable

# Bump the tag when the recipe below changes, so old images are not mistaken for new ones.
DEFAULT_IMAGE = "cpagent-sandbox:bookworm-3"
# CPAGENT_SANDBOX_IMAGE names another image to run (it must have python3 and pypy3).
IMAGE = os.environ.get("CPAGENT_SANDBOX_IMAGE", DEFAULT_IMAGE)
SUITE = "bookworm"
PACKAGES = ("python3", "pypy3")
MIRROR = os.environ.get("CPAGENT_DEBIAN_MIRROR", "http://deb.debian.org/debian")
# Trimmed from the image: nothing a solution needs, and a quarter of its size.
PRUNE = ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "var/cache/apt",
         "var/lib/apt/lists")
LABEL = "cpagent.sandbox"


def find_image(client) -> tuple[str, tuple[str, ...]]:
    """The image to run, and the languages it has."""
    from docker.errors import ImageNotFound

    try:
        client.images.get(IMAGE)
        return IMAGE, ("python", "pypy")
    except ImageNotFound:
        if IMAGE != DEFAULT_IMAGE:
            raise SandboxUnavailable(f"the sandbox image {IMAGE} is missing") from None
    for image in client.images.list(name="python"):
        for tag in image.tags:
            return tag, ("python",)
    raise SandboxUnavailable(
        f"the sandbox image {IMAGE} is missing: build it with `cpagent sandbox build`"
    )


def strip_group_bits(root: Path) -> None:
    """Clear the group permission bits of every file. For a user that neither owns a file
    nor is in its group, the kernel asks for the file's ACL only when the group bits are
    set; on a FUSE storage driver each such question is a round trip to a helper process,
    about 80 of them per Python start-up. Nobody in the sandbox is in those groups."""
    os.chmod(root, 0o755 & ~0o070)
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if not stat.S_ISLNK(mode) and mode & 0o070:
                os.chmod(path, stat.S_IMODE(mode) & ~0o070)


def build_image(client, *, log: Callable[[str], None] = print, force: bool = False) -> str:
    """Build the image unless it exists. Needs root and debootstrap (Debian's package)."""
    from docker.errors import ImageNotFound

    if not force:
        try:
            client.images.get(IMAGE)
            log(f"{IMAGE} is already built")
            return IMAGE
        except ImageNotFound:
            pass
    debootstrap = shutil.which("debootstrap")
    if debootstrap is None:
        raise SandboxUnavailable("debootstrap is not installed (apt-get install debootstrap)")
    if os.geteuid() != 0:
        raise SandboxUnavailable("building the sandbox image needs root (debootstrap chroots)")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cpagent" / "debs"
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cpagent-rootfs-") as tmp:
        root = Path(tmp) / "rootfs"
        log(f"debootstrap {SUITE} with {', '.join(PACKAGES)} from {MIRROR}")
        cmd = [debootstrap, "--variant=minbase", f"--include={','.join(PACKAGES)}",
               f"--cache-dir={cache}", SUITE, str(root), MIRROR]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise SandboxUnavailable(f"debootstrap failed: {tail[0]}")
        for rel in PRUNE:
            shutil.rmtree(root / rel, ignore_errors=True)
        strip_group_bits(root)
        tar_path = Path(tmp) / "rootfs.tar"
        with tarfile.open(tar_path, "w") as tar:
            tar.add(root, arcname=".")
        repo, tag = IMAGE.split(":")
        log(f"docker import as {IMAGE}")
        client.api.import_image_from_file(str(tar_path), repository=repo, tag=tag,
                                          changes=[f"LABEL {LABEL}=1"])
    return IMAGE
