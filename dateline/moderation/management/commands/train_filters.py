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
from dataclasses import replace
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
    read_labelled_csv,
    site_config,
)

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
        sources = {kind: self._source(kind, options) for kind in kinds}
        for kind, source in sources.items():
            started = time.monotonic()
            texts: list[str] = []
            labels: list[int] = []
            groups: list[str] = []  # validate across files when there are several
            try:
                for csv_path in source.paths:
                    file_texts, file_labels = read_labelled_csv(replace(source, paths=(csv_path,)))
                    texts += file_texts
                    labels += file_labels
                    groups += [str(csv_path)] * len(file_texts)
                scorer = TextScorer.train(
                    texts,
                    labels,
                    kind=kind,
                    config=site_config(kind),
                    groups=groups,
                    source=", ".join(str(p) for p in source.paths),
                    n_jobs=options["jobs"],
                )
            except TrainingDataError as exc:
                raise CommandError(f"{kind}: {exc}") from exc
            path = scorer.save(Path(out_dir) / f"{kind}.joblib")
            self._report(kind, scorer, path, time.monotonic() - started)

    def _source(self, kind: str, options: dict[str, Any]) -> CsvSource:
        default = DEFAULTS[kind]
        paths = options[f"{kind}_csv"]
        if not paths:
            folder = Path(settings.SHARED_DATA_DIR) / default["folder"]
            paths = sorted(folder.glob(default["pattern"]))
            if not paths:
                raise CommandError(
                    f"No --{kind}-csv given, and {default['what']} is not at "
                    f"{folder / default['pattern']}. Pass --{kind}-csv PATH (with "
                    f"--{kind}-text-column and --{kind}-label-column), or set "
                    "DATELINE_SHARED_DATA to the folder holding the shared datasets."
                )
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
        how = "by source file" if val["grouped"] else "stratified"
        self.stdout.write(
            f"{kind}: {meta['n_samples']} examples ({meta['n_positive']} {kind}), "
            f"{seconds:.1f} s → {path}\n"
            f"  validation ({val['folds']} folds, {how}): AUC {val['auc']:.4f}\n"
            f"  high {high['threshold']:.4f}: recall {high['recall']:.3f}, "
            f"false positives {high['fpr']:.1%}\n"
            f"  low  {low['threshold']:.4f}: recall {low['recall']:.3f}, "
            f"false positives {low['fpr']:.1%}"
        )
