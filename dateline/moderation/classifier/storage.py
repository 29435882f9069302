"""The site's models: where they live and the per-process cache that reloads a retrained file."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .features import _host
from .model import CONFIGS, KINDS, ScorerConfig, TextScorer

logger = logging.getLogger("dateline.moderation.classifier")

# --- The site's models ----------------------------------------------------------------------


def model_dir() -> Path:
    return _model_dir(getattr(settings, "DATELINE_MODEL_DIR", None), settings.VAR_DIR)


def model_path(kind: str) -> Path:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return _model_path(getattr(settings, "DATELINE_MODEL_DIR", None), settings.VAR_DIR, kind)


# Worked out once per setting: every comment post asks for the model files' paths three times,
# and building them with pathlib cost more than checking the files.
@lru_cache(maxsize=16)
def _model_dir(configured: str | Path | None, var_dir: str | Path) -> Path:
    return Path(configured) if configured is not None else Path(var_dir) / "models"


@lru_cache(maxsize=16)
def _model_path(configured: str | Path | None, var_dir: str | Path, kind: str) -> Path:
    return _model_dir(configured, var_dir) / f"{kind}.joblib"


def site_config(kind: str) -> ScorerConfig:
    """The configuration for training the site's ``kind`` model: links to the site itself
    (``settings.SITE_URL``) are trusted, not external."""
    config = CONFIGS[kind]
    host = _host(getattr(settings, "SITE_URL", "") or "").split(":")[0]
    if host and host not in config.trusted_hosts:
        config = replace(config, trusted_hosts=(*config.trusted_hosts, host))
    return config


_cache: dict[str, tuple[Path, tuple[int, int], TextScorer]] = {}
_cache_lock = threading.Lock()


def get_scorer(kind: str) -> TextScorer | None:
    """The site's trained scorer for ``kind`` ("spam" or "abuse"), or ``None`` when there is no
    model file (or it cannot be read: logged, the site carries on without it).

    Loaded on first use and kept per process; a file replaced by retraining or a rollback is
    picked up on the next call (a new file: its inode and modification time changed; the inode
    alone tells a rollback apart within one tick of a coarse file-system clock)."""
    path = model_path(kind)
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_ino)
    except FileNotFoundError:
        _cache.pop(kind, None)
        return None
    cached = _cache.get(kind)
    if cached and cached[0] == path and cached[1] == stamp:
        return cached[2]
    with _cache_lock:
        cached = _cache.get(kind)
        if cached and cached[0] == path and cached[1] == stamp:
            return cached[2]
        try:
            scorer = TextScorer.load(path)
        except Exception:
            logger.exception("could not load the %s model from %s", kind, path)
            return None
        _cache[kind] = (path, stamp, scorer)
        return scorer


def clear_scorer_cache() -> None:
    _cache.clear()


def warm_up() -> list[str]:
    """Load the site's models and compile their one-comment scorers now, so the first comment
    a new server process takes does not wait for scikit-learn and the model files (several
    seconds on a busy machine; issue 18). Called once per process by ``dateline.wsgi``.
    Returns the kinds loaded; never raises (a broken file is logged by ``get_scorer``)."""
    loaded = []
    for kind in KINDS:
        try:
            scorer = get_scorer(kind)
            if scorer is not None:
                scorer.score(["warm up"])  # compiles the fast path too
                loaded.append(kind)
        except Exception:
            logger.exception("could not warm up the %s model", kind)
    return loaded
