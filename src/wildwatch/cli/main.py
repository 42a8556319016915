"""The ``wildwatch`` command."""

from __future__ import annotations

import functools
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import msgspec
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wildwatch.cli.common import err, fail, lexicon_or_fail
from wildwatch.cli.model_commands import register as register_model_commands
from wildwatch.cli.policy_commands import policy_app
from wildwatch.cli.server_commands import register as register_server_commands
from wildwatch.ingest.readers import DEFAULT_MAX_RECORD_BYTES, FORMATS
from wildwatch.lexicon import LexiconError, TermKind, load_lexicon

app = typer.Typer(
    help="Wildwatch: find wildlife trafficking in marketplace listings and social posts.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
lexicon_app = typer.Typer(help="Check, count and export the species lexicon.",
                          no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")

LexiconOption = Annotated[
    Path | None,
    typer.Option("--lexicon", help="Folder of lexicon YAML files (default: the shipped one, or "
                 "$WILDWATCH_LEXICON).", exists=True, file_okay=False),
]


@app.command()
def scan(
    source: Annotated[str, typer.Argument(help="Posts: a .jsonl, .csv or .parquet file, or - "
                                          "for JSONL on standard input.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Where verdicts go (- for standard "
                                     "output).")] = "-",
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output format: jsonl, csv or "
                                     "parquet.")] = "jsonl",
    input_format: Annotated[str | None, typer.Option("--input-format", help="Input format, if "
                                                     "the file name does not tell.")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=0, help="Processes to use; 0 "
                                         "means one per core.")] = 0,
    write_all: Annotated[bool, typer.Option("--all", help="Write a verdict for every post, "
                                            "not only flagged ones.")] = False,
    errors: Annotated[str | None, typer.Option("--errors", help="Where bad records go "
                                               "(default: OUT.errors.jsonl).")] = None,
    lexicon: LexiconOption = None,
    engine: Annotated[str | None, typer.Option("--engine", help="Matcher: hyperscan or "
                                               "aho-corasick (default: fastest here).")] = None,
    scorer: Annotated[str, typer.Option("--scorer", help="lexicon (default), rules (lexicon "
                                        "with sale-intent and context rules) or model (the "
                                        "learned model); see docs/model.md.")] = "lexicon",
    max_record_bytes: Annotated[int, typer.Option(help="Refuse records larger than this.")]
    = DEFAULT_MAX_RECORD_BYTES,
    summary_json: Annotated[Path | None, typer.Option("--summary-json", help="Also write the "
                                                      "run's summary as JSON here.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary table.")] = False,
) -> None:
    """Scan posts and write a verdict per flagged post (or per post, with --all).

    Exit code 0: every record was scanned; 1: some records were bad (see the errors file);
    2: the command itself could not run.
    """
    from wildwatch.detect.scorers import SCORERS
    from wildwatch.scan import errors_file_for, keep_freed_memory, scan_file

    if scorer not in SCORERS:
        fail(f"unknown --scorer {scorer!r}; use one of {', '.join(SCORERS)}")
    if input_format is not None and input_format not in FORMATS:
        fail(f"unknown --input-format {input_format!r}; use one of {', '.join(FORMATS)}")
    if source != "-" and not Path(source).is_file():
        fail(f"input file {source!r} does not exist")
    worker_count = workers or os.cpu_count() or 1
    keep_freed_memory()
    size = Path(source).stat().st_size if source != "-" else 0
    run = functools.partial(
        scan_file, source, out, fmt=fmt, input_format=input_format, errors_path=errors,
        workers=worker_count, write_all=write_all, engine=engine, scorer=scorer,
        lexicon_dir=str(lexicon) if lexicon else None, max_record_bytes=max_record_bytes)
    try:
        if sys.stderr.isatty() and not quiet and size:
            from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

            with Progress("[progress.description]{task.description}", BarColumn(),
                          DownloadColumn(), TimeRemainingColumn(), console=err,
                          transient=True) as bar:
                task = bar.add_task("scanning", total=size)
                stats = run(progress=lambda n: bar.advance(task, n))
        else:
            stats = run()
    except (LexiconError, ValueError, OSError) as exc:
        fail(str(exc))
    if summary_json is not None:
        summary_json.write_bytes(msgspec.json.format(msgspec.json.encode(stats.as_dict())))
    if not quiet:
        _print_summary(stats.as_dict(), errors_file_for(out, errors) if stats.errors else None)
    global _nothing_left_to_clean_up
    _nothing_left_to_clean_up = True
    raise typer.Exit(1 if stats.errors else 0)


def _print_summary(summary: dict[str, object], errors_file: Path | None) -> None:
    table = Table(title="wildwatch scan", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("posts read", f"{summary['records']:,}")
    table.add_row("verdicts", f"{summary['verdicts']:,}")
    table.add_row("flagged", f"{summary['flagged']:,}")
    table.add_row("errors", f"{summary['errors']:,}")
    table.add_row("written", f"{summary['written']:,}")
    table.add_row("posts/s", f"{summary['posts_per_second']:,}  ({summary['workers']} workers, "
                  f"{summary['engine']}, {summary['scorer']} scorer)")
    species = summary["flagged_by_species"]
    assert isinstance(species, dict)
    for group, count in species.items():
        table.add_row(f"  flagged: {group}", f"{count:,}")
    by_lang = summary["posts_by_lang"]
    flagged_lang = summary["flagged_by_lang"]
    assert isinstance(by_lang, dict) and isinstance(flagged_lang, dict)
    for lang, count in list(by_lang.items())[:12]:
        table.add_row(f"  lang {lang}", f"{flagged_lang.get(lang, 0):,} of {count:,} flagged")
    err.print(table)
    if errors_file is not None:
        err.print(f"{summary['errors']:,} bad records, each with its line and reason, are in "
                  f"{errors_file}", soft_wrap=True, highlight=False)


@lexicon_app.command("check")
def lexicon_check(lexicon: LexiconOption = None) -> None:
    """Validate the lexicon files; print the first problem with its file, line and fix."""
    from wildwatch.detect import compile_lexicon

    try:
        lex = load_lexicon(lexicon)
    except LexiconError as exc:
        err.print(f"[red]invalid lexicon[/red]: {escape(str(exc))}", markup=True,
                  highlight=False)
        raise typer.Exit(1) from None
    compiled = compile_lexicon(lex)
    for term in compiled.skipped:
        err.print(f"{term.file}:{term.line}: term {term.text!r} normalises to nothing and "
                  "will never match", highlight=False, markup=False)
    typer.echo(f"ok: {len(lex.groups)} groups, {len(lex.terms)} terms, "
               f"{len(compiled.patterns)} distinct patterns, version {lex.version}")
    if compiled.skipped:
        raise typer.Exit(1)


@lexicon_app.command("stats")
def lexicon_stats(lexicon: LexiconOption = None) -> None:
    """Terms per group, kind and language."""
    lex = lexicon_or_fail(lexicon)
    table = Table(title=f"lexicon {lex.version}")
    table.add_column("group")
    table.add_column("terms", justify="right")
    for kind in TermKind:
        table.add_column(kind.value.replace("_", " "), justify="right")
    table.add_column("languages")
    for group in lex.groups.values():
        kinds = Counter(term.kind for term in group.terms)
        langs = Counter(term.lang for term in group.terms)
        table.add_row(group.id, str(len(group.terms)), *(str(kinds[k]) for k in TermKind),
                      " ".join(f"{lang}:{n}" for lang, n in sorted(langs.items())))
    table.add_row("all", str(len(lex.terms)), *("" for _ in TermKind), "")
    Console().print(table)


@lexicon_app.command("export")
def lexicon_export(
    lexicon: LexiconOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv")] = "jsonl",
    out: Annotated[str, typer.Option("--out", "-o", help="File (- for standard output).")]
    = "-",
) -> None:
    """Every term as one row: group, text, kind, lang, weight, source, variant_of."""
    import csv

    lex = lexicon_or_fail(lexicon)
    columns = ["group", "text", "kind", "lang", "weight", "source", "variant_of", "note"]
    rows = [{"group": t.group, "text": t.text, "kind": t.kind.value, "lang": t.lang,
             "weight": t.weight, "source": lex.groups[t.group].sources.get(t.source or "",
                                                                           t.source),
             "variant_of": t.variant_of, "note": t.note} for t in lex.terms]
    stream = (sys.stdout if out == "-"
              else open(out, "w", newline="", encoding="utf-8"))  # noqa: SIM115
    try:
        if fmt == "csv":
            writer = csv.DictWriter(stream, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        elif fmt == "jsonl":
            for row in rows:
                stream.write(msgspec.json.encode(row).decode() + "\n")
        else:
            fail(f"unknown --format {fmt!r}; use jsonl or csv")
    finally:
        if stream is not sys.stdout:
            stream.close()




register_model_commands(app)
register_server_commands(app)
app.add_typer(policy_app, name="policy")


def main() -> None:
    """The ``wildwatch`` command (and ``python -m wildwatch``)."""
    try:
        app()
    except SystemExit as end:
        if not _nothing_left_to_clean_up:
            raise
        # A scan is written, closed and summarised: leave without the interpreter's teardown,
        # which frees the lexicon, the compiled kernels and their tables one object at a time
        # (0.25 s, a fifth of a small scan's run).
        code = end.code if isinstance(end.code, int) else 0 if end.code is None else 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


_nothing_left_to_clean_up = False
"""Set by a command that has closed everything it opened, for :func:`main` to exit at once."""
