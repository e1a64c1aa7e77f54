# The mcs flags Licensing.dll is compiled with, shared by package.sh (the
# package, which test.sh tests) and bench/run.sh: -unsafe for the P/Invoke
# calls that pass pinned buffers as pointers (fixed), -optimize+, and
# warnings as errors. Sourced, not run.
# shellcheck disable=SC2034
licensing_mcs_flags=(-unsafe -optimize+ -warnaserror+)
