"""The Python binding's benchmark: per-call times, as a table and a JSON line.

Run it with run.sh (it builds the release library and names it in
LICENSING_LIBRARY). Each case is a plain loop of calls of one bound method
(``timeit`` compiles it: ``for _ in itertools.repeat(None, n): f(a)``,
timed with ``time.perf_counter_ns``), repeated; the table gives the median
and the fastest repetition, per call, loop included. Python's own set and
dict are measured the same way, through a method of the same shape
(``def has(self, name): return name in self._s``), as the yardstick.

The cases, on tests/vectors/prod.lic (10 features, 6 limits):

- has_feature of a feature the license grants, and of one it does not;
- limit, limit_enforcement; check_usage of a limit it sets (within and
  over), and of one it does not (UNLIMITED);
- validate of bytes the validator has verified before (its cache answers),
  alone and with a has_feature on the new License (its first lookup reads
  the verification's number, and finds the features read before);
- validate of new bytes: a new Validator each time, then validate;
- store status: Store.status on a store with prod.lic installed;
- the native call has_feature used to make (``lic_license_has_feature_n``
  through ctypes), for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
BINDING = HERE.parent
REPO = BINDING.parent.parent
VECTORS = REPO / "tests" / "vectors"

sys.path.insert(0, str(BINDING))

import licensing  # noqa: E402  (the binding of this tree, found above)
from licensing import Store, Usage, Validator  # noqa: E402


class PySet:
    """Python's own set, behind a method of has_feature's shape."""

    def __init__(self, names):
        self._s = frozenset(names)

    def has(self, name):
        return name in self._s


class PyDict:
    """Python's own dict, behind a method of limit's shape."""

    def __init__(self, items):
        self._d = dict(items)

    def get(self, name):
        return self._d.get(name)


def per_call(stmt: str, names: dict, seconds: float, reps: int) -> dict:
    """The per-call times of ``stmt`` in ns: median and fastest of ``reps``
    repetitions of a loop sized to take about ``seconds``, after a warm-up."""
    timer = timeit.Timer(stmt, globals=names, timer=time.perf_counter_ns)
    # Warm-up and sizing: double n until one loop takes a tenth of the budget.
    n = 1
    while True:
        elapsed = timer.timeit(n)
        if elapsed >= seconds * 1e9 / 10 or n >= 1 << 24:
            break
        n *= 2
    n = max(1, int(n * seconds * 1e9 / max(elapsed, 1)))
    times = [timer.timeit(n) / n for _ in range(reps)]
    return {"median_ns": statistics.median(times), "min_ns": min(times), "calls": n, "reps": reps}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few iterations (a check of the harness)")
    parser.add_argument("--json", metavar="FILE", help="also write the JSON line to FILE")
    parser.add_argument("--work", metavar="DIR", required=True, help="a scratch directory")
    args = parser.parse_args()
    seconds, reps = (0.002, 3) if args.quick else (0.05, 15)

    spec = json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))
    prod = next(f for f in spec["files"] if f["name"] == "prod.lic")
    check = next(c for c in prod["checks"] if c["verdict"].get("ok", {}).get("state") == "active"
                 and c["activation_code"])
    serial, code, now = check["serial"], check["activation_code"], check["now"]
    pem = (VECTORS / spec["keys"]["test"]["public"]).read_bytes()
    data = (VECTORS / "prod.lic").read_bytes()

    validator = Validator(pem)
    lic = validator.validate(data, serial, code, now)
    features = lic.features
    limits = lic.limits
    assert lic.has_feature("sso-saml") and not lic.has_feature("teleportation")
    assert lic.check_usage("tenants", 20) is Usage.WITHIN
    py_set = PySet(features)
    py_dict = PyDict(limits)

    store_dir = Path(args.work) / "store"
    Store.create(store_dir).close()
    store = Store(store_dir)
    store.install(validator, data, serial, now).close()
    with store.status(validator, serial, now) as status:
        assert status.may_run, status.run_reason

    lib = licensing._native.library()
    raw_name = b"sso-saml"
    handle = lic._acquire()  # the raw handle, for the native comparison; released below

    names = {
        "has_feature": lic.has_feature, "limit": lic.limit,
        "limit_enforcement": lic.limit_enforcement, "check_usage": lic.check_usage,
        "validate": validator.validate, "Validator": Validator, "status": store.status,
        "py_has": py_set.has, "py_get": py_dict.get,
        "native_has_feature_n": lib.lic_license_has_feature_n, "handle": handle,
        "raw_name": raw_name, "data": data, "pem": pem, "serial": serial, "code": code,
        "now": now,
    }
    cases = [
        ("has_feature (present)", 'has_feature("sso-saml")', "set_in (present)"),
        ("has_feature (absent)", 'has_feature("teleportation")', "set_in (absent)"),
        ("limit", 'limit("tenants")', "dict_get (present)"),
        ("limit_enforcement", 'limit_enforcement("tenants")', "dict_get (present)"),
        ("check_usage (within)", 'check_usage("tenants", 20)', None),
        ("check_usage (over)", 'check_usage("tenants", 26)', None),
        ("check_usage (no such limit)", 'check_usage("no-such-limit", 20)', None),
        ("validate (bytes seen)", "validate(data, serial, code, now)", None),
        ("validate (bytes seen) + has_feature", 'validate(data, serial, code, now).has_feature("sso-saml")', None),
        ("validate (new bytes: new Validator)", "Validator(pem).validate(data, serial, code, now)",
         None),
        ("store status", "status(validator, serial, now)", None),
        ("set_in (present)", 'py_has("sso-saml")', None),
        ("set_in (absent)", 'py_has("teleportation")', None),
        ("dict_get (present)", 'py_get("tenants")', None),
        ("dict_get (absent)", 'py_get("no-such-limit")', None),
        ("native lic_license_has_feature_n (ctypes)", "native_has_feature_n(handle, raw_name, 8)",
         None),
    ]
    names["validator"] = validator
    results = {}
    for label, stmt, _ in cases:
        slow = "Validator(" in stmt or "status(" in stmt
        results[label] = per_call(stmt, names, seconds * (4 if slow and not args.quick else 1),
                                  reps)
    lic._release()
    store.close()
    validator.close()
    lic.close()

    def show(ns: float) -> str:
        return f"{ns:,.0f}" if ns >= 100 else f"{ns:,.1f}"

    print(f"Python binding (ctypes) benchmark: Python {platform.python_version()} "
          f"({platform.python_implementation()}), {os.cpu_count()} CPUs, "
          f"library {licensing.find_library()}"
          f"{', --quick (few iterations: not a measurement)' if args.quick else ''}")
    print("per call, loop included; median and fastest of the repetitions")
    width = max(len(label) for label, *_ in cases)
    print(f"{'case':<{width}}  {'median ns':>10}  {'min ns':>10}  vs Python's own")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 10}  {'-' * 22}")
    for label, _, yardstick in cases:
        r = results[label]
        ratio = ""
        if yardstick:
            ratio = f"{r['median_ns'] / results[yardstick]['median_ns']:.2f}x {yardstick}"
        print(f"{label:<{width}}  {show(r['median_ns']):>10}  {show(r['min_ns']):>10}  {ratio}")

    # The targets of the issue, for Python.
    targets = [
        ("has_feature (present) within 2x of set_in (present)",
         results["has_feature (present)"]["median_ns"]
         <= 2 * results["set_in (present)"]["median_ns"]),
        ("has_feature (absent) within 2x of set_in (absent)",
         results["has_feature (absent)"]["median_ns"]
         <= 2 * results["set_in (absent)"]["median_ns"]),
        ("check_usage under 1 us",
         max(results[k]["median_ns"] for k in results if k.startswith("check_usage")) < 1000),
    ]
    for what, met in targets:
        print(f"target: {what}: {'met' if met else 'MISSED'}")

    line = json.dumps({
        "binding": "python", "quick": args.quick, "python": platform.python_version(),
        "results": {k: {"median_ns": round(v["median_ns"], 1), "min_ns": round(v["min_ns"], 1),
                        "calls": v["calls"], "reps": v["reps"]} for k, v in results.items()},
        "targets": {what: met for what, met in targets},
    }, sort_keys=True)
    print(line)
    if args.json:
        Path(args.json).write_text(line + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
