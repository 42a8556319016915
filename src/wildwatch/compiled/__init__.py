"""The compiled loops of the scanner, built ahead of time where a C compiler was at hand.

The loops are written for Numba, in :mod:`wildwatch.text.kernels` (the normaliser) and
:mod:`wildwatch.ingest.jsonl_kernel` (the JSONL reader). Compiled on first use, they cost every
process that imports Numba about 0.6 s of start-up and 130 MB of memory, even with Numba's cache.
``make install`` therefore also builds them into an extension module beside this file
(``python -m wildwatch.compiled.build``), which needs only NumPy at run time.

This module hands out the built functions when the build was made from the current sources, and
Numba's otherwise: a missing build (no C compiler) is only slower, and a stale one (the sources
changed since) is never used. ``WILDWATCH_KERNELS`` chooses: ``auto`` (the default), ``built``
(fail if there is no current build) or ``numba``.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

__all__ = ["BACKEND", "encode_posts", "fold_points", "leet_tokens", "parse_block", "split_lines",
           "squeeze"]

#: The files the build is made from, relative to the package: the loops, the tables whose
#: constants they read, and the types the build gives them (here and in the build).
SOURCES = ("text/kernels.py", "text/tables.py", "ingest/jsonl_kernel.py",
           "ingest/block_format.py", "compiled/__init__.py", "compiled/build.py")
#: The entry points, and the module each is written in.
KERNELS = {
    "fold_points": "wildwatch.text.kernels",
    "squeeze": "wildwatch.text.kernels",
    "leet_tokens": "wildwatch.text.kernels",
    "encode_posts": "wildwatch.text.kernels",
    "split_lines": "wildwatch.ingest.jsonl_kernel",
    "parse_block": "wildwatch.ingest.jsonl_kernel",
}
_U1, _U4, _I1, _I8 = "uint8", "uint32", "int8", "int64"
#: Each entry point's arguments and results: a dtype name is a one-dimensional contiguous array
#: of it, ``int`` and ``bool`` are scalars. The build compiles exactly these types, and the built
#: functions are called only with them: unlike Numba's, they do not check what they are given.
TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fold_points": ((_U4, _U4, _I8, _U4, _I8, "bool", _U1, "bool"), (_U4, _I8, _U1)),
    "squeeze": ((_U4, _I8, _U1, "int", "int"), (_U4, _I8, _I8)),
    "leet_tokens": ((_U4, _U1, _I8, "int"), (_I8, _I8)),
    "encode_posts": ((_U4, "int"), (_U1, _I8, _U4, _I8, _I8)),
    "split_lines": ((_U1,), (_I8, _I8)),
    "parse_block": ((_U1, _I8, _I8, "int", _U1, _I8, _U1, _I8, _U1, _U1, _U1, _U1, "bool", _U4,
                     _I8, _U4, _U1), (_I1, _I8, _I8, _U4, _U1, _U1, _I8)),
}
CHOICES = ("auto", "built", "numba")
BUILT_MODULE = "wildwatch.compiled._kernels"

_log = logging.getLogger(__name__)


def source_digest() -> int:
    """A fingerprint of :data:`SOURCES`, which the build records and the loader compares."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes() + b"\0")
    return int.from_bytes(digest.digest()[:7], "big")


class KernelsNotBuilt(Exception):
    """There is no build of the kernels to use (no C compiler was at hand, or no one built)."""


class StaleKernels(KernelsNotBuilt):
    """The build was made from other sources than the installed ones."""


def built_module() -> ModuleType:
    """The built module, if it was built from the current sources."""
    try:
        module = import_module(BUILT_MODULE)
    except ImportError as error:
        raise KernelsNotBuilt("the compiled kernels are not built "
                              "(python -m wildwatch.compiled.build builds them)") from error
    if module.source_digest() != source_digest():
        raise StaleKernels("the compiled kernels were built from other sources than these "
                           "(python -m wildwatch.compiled.build rebuilds them)")
    return module


def _choose(choice: str) -> tuple[dict[str, Any], str]:
    if choice not in CHOICES:
        raise ValueError(f"WILDWATCH_KERNELS={choice!r}: use one of {', '.join(CHOICES)}")
    if choice != "numba":
        try:
            module = built_module()
        except KernelsNotBuilt as error:
            if choice == "built":
                raise RuntimeError(f"WILDWATCH_KERNELS=built, but {error}") from error
            if isinstance(error, StaleKernels):
                _log.warning("%s; using Numba meanwhile", error)
        else:
            return {name: _checked(name, getattr(module, name)) for name in KERNELS}, "built"
    return {name: getattr(import_module(source), name)
            for name, source in KERNELS.items()}, "numba"


def _checked(name: str, kernel: Callable[..., Any]) -> Callable[..., Any]:
    """``kernel`` refusing arguments of other types than it was built for, with a TypeError:
    a built function reads whatever memory it is handed as the type it expects."""
    kinds = TYPES[name][0]
    dtypes = [None if kind in ("int", "bool") else np.dtype(kind) for kind in kinds]

    def call(*args: Any) -> Any:
        if len(args) != len(kinds):
            raise TypeError(f"{name} takes {len(kinds)} arguments, not {len(args)}")
        for at, (value, kind, dtype) in enumerate(zip(args, kinds, dtypes, strict=True)):
            if dtype is not None:
                if not (isinstance(value, np.ndarray) and value.dtype == dtype
                        and value.ndim == 1 and value.flags.c_contiguous):
                    raise TypeError(f"{name}: argument {at} must be a contiguous "
                                    f"one-dimensional {kind} array, not {_describe(value)}")
            elif not isinstance(value, (bool, np.bool_) if kind == "bool" else (int, np.integer)):
                raise TypeError(f"{name}: argument {at} must be {kind}, not {_describe(value)}")
        return kernel(*args)

    call.__name__ = call.__qualname__ = name
    return call


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        layout = "" if value.flags.c_contiguous else ", not contiguous"
        return f"an array of {value.dtype} shaped {value.shape}{layout}"
    return type(value).__name__


if TYPE_CHECKING:  # the same signatures, whichever is chosen
    from wildwatch.ingest.jsonl_kernel import parse_block, split_lines
    from wildwatch.text.kernels import encode_posts, fold_points, leet_tokens, squeeze

    BACKEND: str
    """Which kernels this process runs: ``built`` or ``numba``."""


def __getattr__(name: str) -> Any:
    """Choose the kernels on first use, not on import: building them imports this package."""
    if name != "BACKEND" and name not in KERNELS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    chosen, backend = _choose(os.environ.get("WILDWATCH_KERNELS", "auto"))
    globals().update(chosen, BACKEND=backend)
    return globals()[name]
