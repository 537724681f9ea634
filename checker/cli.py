"""The `contract-check` command line: a thin layer over `checker.api` and `checker.batch`.

Options become arguments of library calls; library errors become one line on stderr
(`error: FILE: reason`) and an exit code, in `main` and nowhere else. Heavy imports (spaCy)
happen inside the commands, so `--help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checker import __version__
from checker.errors import EXIT_BATCH_FAILURES, EXIT_GAPS, EXIT_INPUT, EXIT_OK, CheckerError

SEVERITIES = ("critical", "high", "medium", "low")
FORMATS = ("text", "json", "html", "csv", "md")
_LIBRARY_HELP = (
    "Built-in profile name (see `library list`) or path to a library YAML. Default: nz-privacy-ngo."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="contract-check")
def cli() -> None:
    """Check agency–NGO provider contracts for missing or weak data-handling clauses.

    \b
    Exit codes: 0 no gaps at or above --fail-on; 1 gaps found; 2 usage error or the
    input could not be read; 3 (batch) some files could not be read.
    """


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--library", "library", default=None, metavar="NAME|PATH", help=_LIBRARY_HELP)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--out", type=click.Path(path_type=Path), default=None, help="Write the report here instead of stdout."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="high",
    show_default=True,
    help="Exit 1 when a gap of this severity or higher is found.",
)
def check(file: Path, library: str | None, fmt: str, out: Path | None, fail_on: str) -> None:
    """Check one contract (DOCX, PDF, text or Markdown)."""
    from checker.api import check_file
    from checker.report import render

    result = check_file(file, library)
    color = out is None and fmt == "text" and sys.stdout.isatty()
    text = render(result, fmt, color=color)
    if out is None:
        click.echo(text, nl=False)
    else:
        from checker.batch import write_atomic

        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, text)
        click.echo(f"wrote {out}", err=True)
    sys.exit(EXIT_GAPS if result.gaps(fail_on) else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports"), show_default=True)
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU cores)."
)
@click.option(
    "--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True, help="Seconds per file."
)
@click.option("--library", "library", default=None, metavar="NAME|PATH", help=_LIBRARY_HELP)
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="high", show_default=True)
def batch(
    paths: tuple[Path, ...], out: Path, jobs: int | None, timeout: float, library: str | None, fail_on: str
) -> None:
    """Check every contract under PATHS; write per-contract reports, index.html and summary.csv."""
    from checker.batch import WorkerStartError, discover, run_batch
    from checker.progress import BatchProgress

    try:
        with BatchProgress(total=len(discover(paths)), enabled=sys.stderr.isatty()) as bar:
            result = run_batch(paths, out, library, jobs=jobs, timeout=timeout, progress=bar.update)
    except WorkerStartError as exc:
        raise CheckerError("batch", str(exc)) from None
    for o in result.failures:
        click.echo(f"error: {o.path}: {o.error}", err=True)
    done = result.results
    cached = sum(1 for o in done if o.cached)
    with_gaps = len(result.with_gaps(fail_on))
    click.echo(
        f"checked {len(done)} contracts ({cached} unchanged since the last run), {with_gaps} with gaps at or above "
        f"{fail_on}; {len(result.failures)} could not be read; portfolio: {out / 'index.html'}",
        err=True,
    )
    if result.failures:
        sys.exit(EXIT_BATCH_FAILURES)
    sys.exit(EXIT_GAPS if with_gaps else EXIT_OK)


@cli.group("library")
def library_group() -> None:
    """Inspect and validate clause libraries."""


@library_group.command("list")
def library_list() -> None:
    """List the built-in profiles."""
    from checker.library import builtin_profiles, load_library

    for name in builtin_profiles():
        lib = load_library(name)
        click.echo(f"{lib.id}\t{lib.version}\t{len(lib.requirements)} requirements\t{lib.model.title}")


@library_group.command("show")
@click.argument("name")
def library_show(name: str) -> None:
    """Show a profile's requirements (id, severity, category, title)."""
    from checker.library import load_library

    lib = load_library(name)
    click.echo(f"{lib.id} {lib.version}: {lib.model.title}")
    for r in lib.requirements:
        required = ", ".join(e.id for e in r.elements if e.required)
        click.echo(f"  {r.id:<44} {r.severity:<9} {r.category:<15} {r.title}  [requires: {required}]")


@library_group.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
def library_validate(path: Path) -> None:
    """Validate a library YAML file (and the profile it extends); exit 2 with the error if invalid."""
    from checker.library import load_library
    from checker.match import Matcher

    lib = load_library(path)
    Matcher(lib)  # compiling catches token patterns spaCy rejects
    click.echo(f"{path}: valid ({lib.id} {lib.version}, {len(lib.requirements)} requirements)")


def main() -> None:
    """Entry point: run the CLI, mapping library errors to one-line messages and exit codes."""
    try:
        cli.main(standalone_mode=False)
    except CheckerError as exc:
        click.echo(f"error: {exc.one_line()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("error: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_INPUT)
    except SystemExit:
        raise
    sys.exit(EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
