"""The wheel's tag (everything else is in pyproject.toml).

A wheel that carries the native library (licensing/_lib/, put there by
package.sh) is for one platform: its tag is py3-none-<platform>, the
platform being LICENSING_WHEEL_PLATFORM (package.sh sets it from the
library's glibc symbol versions, e.g. manylinux_2_34_x86_64) or, unset,
this machine's (linux_x86_64). Without the library the wheel is pure
Python, py3-none-any, and needs the library from elsewhere.
"""

import os
import sysconfig

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
LIB_DIR = os.path.join(HERE, "licensing", "_lib")


def bundles_library() -> bool:
    return os.path.isdir(LIB_DIR) and any(
        name.startswith(("liblicensing.", "licensing.")) for name in os.listdir(LIB_DIR)
    )


class BinaryDistribution(Distribution):
    """With the library, the package is platform-specific: it installs into
    platlib (the wheel's root is not purelib), like an extension module."""

    def has_ext_modules(self):
        return bundles_library()


class PlatformWheel(bdist_wheel):
    """py3-none-<platform>: any Python 3 (ctypes, no extension module), one
    platform (the bundled library's)."""

    def get_tag(self):
        if not bundles_library():
            return super().get_tag()
        platform = os.environ.get("LICENSING_WHEEL_PLATFORM") or sysconfig.get_platform()
        return "py3", "none", platform.replace("-", "_").replace(".", "_")


setup(distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
