"""Train the spam and abusive-language scorers and save them into the model directory.

    manage.py train_filters                          # the shared datasets (../shared/data)
    manage.py train_filters --spam-csv mine.csv --spam-text-column body --spam-label-column label
    manage.py train_filters --only spam

Without a path, spam trains on the YouTube Spam Collection (every ``Youtube*.csv``) and abusive
language on Davidson et al.'s ``labeled_data.csv`` (class 0 hate, 1 offensive → abusive,
2 neither), both under ``settings.SHARED_DATA_DIR``.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dateline.moderation.classifier import (
    KINDS,
    CsvSource,
    TextScorer,
    TrainingDataError,
    model_dir,
    site_config,
)
from dateline.moderation.classifier.corpora import (
    Examples,
    base_examples,
    csv_recipe,
    shared_recipe,
    split_validation,
)
from dateline.moderation.classifier.registry import install_base_model

DEFAULTS = {
    "spam": {
        "folder": "youtube-spam-collection",
        "pattern": "Youtube*.csv",
        "text_column": "CONTENT",
        "label_column": "CLASS",
        "positive": "1",
        "what": "the YouTube Spam Collection",
    },
    "abuse": {
        "folder": "davidson-hate-offensive",
        "pattern": "labeled_data.csv",
        "text_column": "tweet",
        "label_column": "class",
        "positive": "0,1",
        "what": "the Davidson hate speech and offensive language set",
    },
}


class Command(BaseCommand):
    help = "Train the spam and abusive-language filters from labelled CSV files and save them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", choices=KINDS, help="train one filter only")
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="train only a filter whose model is missing, unreadable, or was trained with "
            "another configuration or without a recorded base corpus (make demo)",
        )
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="where to write spam.joblib and abuse.joblib (default: DATELINE_MODEL_DIR)",
        )
        parser.add_argument("--jobs", type=int, default=1, help="processes for validation")
        for kind, default in DEFAULTS.items():
            parser.add_argument(
                f"--{kind}-csv",
                action="append",
                type=Path,
                metavar="PATH",
                help=f"CSV file(s) for the {kind} filter; repeat for several "
                f"(default: {default['what']} in SHARED_DATA_DIR)",
            )
            parser.add_argument(
                f"--{kind}-text-column",
                default=default["text_column"],
                metavar="NAME",
                help=f"column with the text (default: {default['text_column']})",
            )
            parser.add_argument(
                f"--{kind}-label-column",
                default=default["label_column"],
                metavar="NAME",
                help=f"column with the label (default: {default['label_column']})",
            )
            parser.add_argument(
                f"--{kind}-positive",
                default=default["positive"],
                metavar="VALUES",
                help=f"comma-separated label values that mean {kind}; every other value means "
                f"legitimate (default: {default['positive']})",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        out_dir = options["output_dir"] or model_dir()
        kinds = [options["only"]] if options["only"] else list(KINDS)
        if options["if_needed"]:
            kinds = [k for k in kinds if self._needs_training(k, Path(out_dir))]
            if not kinds:
                self.stdout.write("The learned filters are up to date.")
        for kind in kinds:
            started = time.monotonic()
            try:
                examples, base = self._examples(kind, options)
                training, validation = split_validation(examples)
                scorer = TextScorer.train(
                    training.texts,
                    training.labels,
                    kind=kind,
                    config=site_config(kind),
                    groups=training.groups,
                    source=self._describe(base),
                    n_jobs=options["jobs"],
                )
            except TrainingDataError as exc:
                raise CommandError(f"{kind}: {exc}") from exc
            scorer.metadata["base"] = base
            path = install_base_model(
                kind=kind, scorer=scorer, validation=validation, directory=Path(out_dir)
            )
            self._report(kind, scorer, path, time.monotonic() - started)

    def _examples(self, kind: str, options: dict[str, Any]) -> tuple[Examples, dict[str, Any]]:
        """The examples and the recipe that names them (kept in the model's metadata, so the
        retraining starts from the same base)."""
        if options[f"{kind}_csv"]:
            source = self._source(kind, options)
            base = csv_recipe([source])
        else:
            data_dir = Path(settings.SHARED_DATA_DIR)
            if not data_dir.is_dir():
                raise CommandError(
                    f"No --{kind}-csv given, and the shared datasets are not at {data_dir}. "
                    f"Pass --{kind}-csv PATH (with --{kind}-text-column and "
                    f"--{kind}-label-column), or set DATELINE_SHARED_DATA to the folder "
                    "holding them."
                )
            base = shared_recipe(data_dir)
        return base_examples(kind, base), base

    @staticmethod
    def _needs_training(kind: str, directory: Path) -> bool:
        """Whether ``kind``'s model in ``directory`` is missing, unreadable, or not what this
        code would train (another configuration, or no base corpus to retrain from)."""
        try:
            meta = TextScorer.load(directory / f"{kind}.joblib").metadata
        except Exception:  # missing or unreadable: train it
            return True
        return not meta.get("base") or meta.get("config") != asdict(site_config(kind))

    @staticmethod
    def _describe(base: dict[str, Any]) -> str:
        if base["recipe"] == "shared":
            return f"shared datasets in {base['data_dir']}"
        return ", ".join(p for source in base["sources"] for p in source["paths"])

    def _source(self, kind: str, options: dict[str, Any]) -> CsvSource:
        paths = options[f"{kind}_csv"]
        return CsvSource(
            paths=tuple(paths),
            text_column=options[f"{kind}_text_column"],
            label_column=options[f"{kind}_label_column"],
            positive=frozenset(v.strip() for v in options[f"{kind}_positive"].split(",")),
        )

    def _report(self, kind: str, scorer: TextScorer, path: Path, seconds: float) -> None:
        meta = scorer.metadata
        val = meta["validation"]
        high, low = val["at_high"], val["at_low"]
        holdout = meta["holdout"]
        how = "by source" if val["grouped"] else "stratified"
        self.stdout.write(
            f"{kind}: {meta['n_samples']} examples ({meta['n_positive']} {kind}), "
            f"{seconds:.1f} s → {path}\n"
            f"  cross-validation ({val['folds']} folds, {how}): AUC {val['auc']:.4f}\n"
            f"  high {high['threshold']:.4f}: recall {high['recall']:.3f}, "
            f"false positives {high['fpr']:.1%}\n"
            f"  low  {low['threshold']:.4f}: recall {low['recall']:.3f}, "
            f"false positives {low['fpr']:.1%}\n"
            f"  validation set kept with the model ({holdout['n']} examples, never trained on): "
            f"AUC {holdout['auc'] or 0:.4f}, legitimate stopped {holdout['legitimate_over_low']:.1%}"
        )
