"""The model file: a zip of NumPy arrays (``.npy``) and a JSON header, no pickle.

Loading runs no code from the file (``allow_pickle=False``), so a model file is data, like the
lexicon: one can be shared between platforms without trusting its author more than a CSV's.
The file holds the linear model's weights (dense features by name, the two hashed n-gram
blocks), the Platt calibration and the operating points; the header names the lexicon and
signal versions it was trained with and how it was trained. Its version, recorded on every
verdict, is ``risk-<training date>-<hash of the weights and header>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wildwatch.model.hashing import NgramHasher

FORMAT = "wildwatch-risk-model/1"
DEFAULT_MODEL_FILE = "risk-model.zip"
_ARRAYS = ("dense_coef", "text_coef", "bio_coef")


class ModelFileError(ValueError):
    """A model file cannot be read; the message says which file and why."""


@dataclass(slots=True)
class RiskModel:
    """A trained, calibrated linear model over the features of :mod:`wildwatch.model.features`.

    ``probability = 1 / (1 + exp(calibration[0] * decision + calibration[1]))`` where
    ``decision`` is the linear model's score: Platt scaling fitted on out-of-fold decisions.
    """

    dense_names: list[str]
    dense_coef: npt.NDArray[np.float64]
    text_coef: npt.NDArray[np.float32]
    bio_coef: npt.NDArray[np.float32]
    intercept: float
    calibration: tuple[float, float]
    thresholds: tuple[float, float]
    """The operating points (flag, likely) chosen for this model on held-out data."""
    text_hasher: NgramHasher = field(default_factory=NgramHasher)
    bio_hasher: NgramHasher = field(default_factory=lambda: NgramHasher(bits=16, salt=1))
    meta: dict[str, Any] = field(default_factory=dict)
    """Training facts: date, lexicon and signal versions, data, cross-validated figures."""
    version: str = ""

    def __post_init__(self) -> None:
        if not self.version:
            self.version = self.content_version()

    def decision(self, dense: npt.NDArray[np.float64], texts: list[str],
                 bios: list[str]) -> npt.NDArray[np.float64]:
        """The linear model's score before calibration, one per post."""
        out = dense @ self.dense_coef + self.intercept
        out += self.text_hasher.dot(texts, self.text_coef)
        out += self.bio_hasher.dot(bios, self.bio_coef)
        return np.asarray(out, dtype=np.float64)

    def probability(self, decision: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        a, b = self.calibration
        return np.asarray(1.0 / (1.0 + np.exp(np.clip(a * decision + b, -50, 50))))

    def header(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "dense_names": self.dense_names,
            "intercept": self.intercept,
            "calibration": list(self.calibration),
            "thresholds": list(self.thresholds),
            "text_hasher": _hasher_dict(self.text_hasher),
            "bio_hasher": _hasher_dict(self.bio_hasher),
            "meta": self.meta,
        }

    def content_version(self) -> str:
        """``risk-YYYYMMDD-<10 hex>``: the training date and a hash of everything that scores."""
        digest = hashlib.sha256()
        header = self.header()
        digest.update(json.dumps({k: v for k, v in header.items() if k != "meta"},
                                 sort_keys=True).encode())
        for name in _ARRAYS:
            digest.update(np.ascontiguousarray(getattr(self, name)).tobytes())
        created = str(self.meta.get("created", ""))[:10].replace("-", "") or "00000000"
        return f"risk-{created}-{digest.hexdigest()[:10]}"

    def save(self, path: Path | str) -> Path:
        """Write the model; the file's bytes depend only on its content."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        header = dict(self.header(), version=self.version)
        buffer = io.BytesIO()
        # Fixed timestamps, so that the same model gives the same bytes (reviewable diffs).
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            _write(archive, "header.json",
                   json.dumps(header, sort_keys=True, indent=1, ensure_ascii=False).encode())
            for name in _ARRAYS:
                array_bytes = io.BytesIO()
                np.save(array_bytes, np.ascontiguousarray(getattr(self, name)),
                        allow_pickle=False)
                _write(archive, f"{name}.npy", array_bytes.getvalue())
        target.write_bytes(buffer.getvalue())
        return target


def load_model(path: Path | str | None = None) -> RiskModel:
    """Read a model file (default: the shipped one). Runs no code from the file."""
    source = Path(path) if path is not None else default_model_path()
    try:
        with zipfile.ZipFile(source) as archive:
            header = json.loads(archive.read("header.json"))
            arrays = {name: np.load(io.BytesIO(archive.read(f"{name}.npy")),
                                    allow_pickle=False) for name in _ARRAYS}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"{source}: not a Wildwatch model file ({exc})") from None
    if header.get("format") != FORMAT:
        raise ModelFileError(f"{source}: format {header.get('format')!r} is not {FORMAT!r}; "
                             "retrain with this version of wildwatch")
    model = RiskModel(
        dense_names=list(header["dense_names"]),
        dense_coef=arrays["dense_coef"].astype(np.float64),
        text_coef=arrays["text_coef"].astype(np.float32),
        bio_coef=arrays["bio_coef"].astype(np.float32),
        intercept=float(header["intercept"]),
        calibration=(float(header["calibration"][0]), float(header["calibration"][1])),
        thresholds=(float(header["thresholds"][0]), float(header["thresholds"][1])),
        text_hasher=_hasher(header["text_hasher"]),
        bio_hasher=_hasher(header["bio_hasher"]),
        meta=dict(header.get("meta", {})),
        version=str(header.get("version", "")),
    )
    if len(model.dense_coef) != len(model.dense_names) or \
            len(model.text_coef) != model.text_hasher.size or \
            len(model.bio_coef) != model.bio_hasher.size:
        raise ModelFileError(f"{source}: weights and header disagree in size; the file is "
                             "damaged, retrain or restore it")
    if model.version != model.content_version():
        raise ModelFileError(f"{source}: version {model.version!r} does not match its content "
                             f"({model.content_version()}); the file was altered")
    return model


def default_model_path() -> Path:
    """The model shipped inside the package."""
    return Path(str(resources.files("wildwatch.model") / "data" / DEFAULT_MODEL_FILE))


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _hasher_dict(hasher: NgramHasher) -> dict[str, Any]:
    spec: dict[str, Any] = {"lengths": list(hasher.lengths), "bits": hasher.bits,
                            "salt": hasher.salt}
    if hasher.words:  # absent in files written before word n-grams: their versions still match
        spec["words"] = list(hasher.words)
    return spec


def _hasher(spec: dict[str, Any]) -> NgramHasher:
    return NgramHasher(tuple(int(n) for n in spec["lengths"]), int(spec["bits"]),
                       int(spec["salt"]), tuple(int(n) for n in spec.get("words", ())))
