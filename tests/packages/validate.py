"""A consumer of the installed Python wheel (tests/packages/run.sh runs it
with a fresh venv's interpreter, from a directory outside the source tree,
without PYTHONPATH): validates a license file for a serial number and an
activation code at a given time, and checks that it has a feature and
lacks another. The library must be the copy bundled with the package.

Usage: python validate.py KEYS.pem LICENSE.lic SERIAL CODE UNIX_TIME FEATURE
Prints "version V", "organization O", "state S", "feature F yes|no",
exits 0 when the license is valid, active and has FEATURE; else 1.
"""

import os
import sys

import licensing


def main(keys, lic, serial, code, unix_time, feature):
    package = os.path.dirname(os.path.abspath(licensing.__file__))
    print("package", package)
    print("version", licensing.version())
    loaded = os.path.abspath(licensing.find_library())
    print("library", loaded)
    if loaded != os.path.join(package, "_lib", os.path.basename(loaded)):
        print("the library is not the one bundled with the package", file=sys.stderr)
        return 1
    with open(keys, "rb") as f:
        keys_pem = f.read()
    with open(lic, "rb") as f:
        file = f.read()
    with licensing.Validator(keys_pem) as validator:
        try:
            license = validator.validate(file, serial, code, int(unix_time))
        except licensing.LicenseInvalid as e:
            print(f"license not valid: {e}", file=sys.stderr)
            return 1
        print("organization", license.organization)
        print("state", "active" if license.state is licensing.State.ACTIVE else "not active")
        has = license.has_feature(feature)
        bogus = license.has_feature("no-such-feature")
        print("feature", feature, "yes" if has else "no")
        print("feature no-such-feature", "yes" if bogus else "no")
        return 0 if license.state is licensing.State.ACTIVE and has and not bogus else 1


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
