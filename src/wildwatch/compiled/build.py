"""Build the scanner's compiled loops ahead of time: ``python -m wildwatch.compiled.build``.

Compiles each entry point of :data:`wildwatch.compiled.KERNELS` with Numba's ahead-of-time
compiler for this machine's CPU into ``_kernels`` beside this file, recording the sources'
digest so that a later change to them is noticed. Needs a C compiler (it links with one); without
one it says so, and Wildwatch keeps compiling the loops with Numba on first use.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from importlib import import_module
from pathlib import Path
from typing import Any

from wildwatch.compiled import (
    BUILT_MODULE,
    KERNELS,
    TYPES,
    KernelsNotBuilt,
    built_module,
    source_digest,
)


def signature(name: str) -> str:
    """The Numba signature of a kernel, from :data:`wildwatch.compiled.TYPES`."""
    arguments, results = TYPES[name]

    def numba_type(kind: str) -> str:
        return {"int": "i8", "bool": "b1"}.get(kind) or f"{kind}[::1]"

    return (f"Tuple(({', '.join(map(numba_type, results))},))"
            f"({', '.join(map(numba_type, arguments))},)")


_DIGEST = 0  # set by build() before compiling: Numba reads a global's value at compile time


def _source_digest() -> int:
    return _DIGEST


def build(target_cpu: str = "host") -> Path:
    """Compile the kernels into the package; returns the module's path.

    Raises an error naming the cause when the machine cannot build (no C compiler)."""
    global _DIGEST
    with warnings.catch_warnings():
        # numba.pycc is marked for replacement by a future ahead-of-time compiler; until that
        # lands it is the one Numba offers, and a failure here only means Numba at run time.
        warnings.simplefilter("ignore")
        from numba.pycc import CC  # type: ignore[attr-defined]
    _DIGEST = source_digest()
    package = Path(__file__).resolve().parent
    compiler: Any = CC(BUILT_MODULE.rsplit(".", 1)[1])  # type: ignore[no-untyped-call]
    compiler.target_cpu = target_cpu
    compiler.verbose = False
    for name, source in KERNELS.items():
        compiler.export(name, signature(name))(getattr(import_module(source), name).py_func)
    compiler.export("source_digest", "i8()")(_source_digest)
    with tempfile.TemporaryDirectory(dir=package) as scratch:
        # Built aside and moved in one step, so that a process starting meanwhile never loads
        # half a file.
        compiler.output_dir = scratch
        compiler.compile()
        (built,) = Path(scratch).glob(f"{compiler.name}.*")
        target = package / built.name
        built.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wildwatch.compiled.build", description=__doc__.splitlines()[0])
    parser.add_argument("--target-cpu", default="host",
                        help="LLVM CPU name to compile for (default: this machine's)")
    parser.add_argument("--if-possible", action="store_true",
                        help="when this machine cannot build, say so and exit 0")
    args = parser.parse_args(argv)
    if args.target_cpu == "host":
        try:
            current = built_module()
        except KernelsNotBuilt:
            pass
        else:
            print(f"compiled kernels are current: {current.__file__}")
            return 0
    started = time.perf_counter()
    try:
        path = build(args.target_cpu)
    except Exception as error:
        print(f"could not build the compiled kernels: {type(error).__name__}: {error}\n"
              "Wildwatch will compile them with Numba on first use instead (slower start-up).",
              file=sys.stderr)
        return 0 if args.if_possible else 1
    print(f"built {path} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
