"""``wildwatch policy check`` and ``wildwatch policy show``: validate and read the policy file.

``policy_app`` is a typer sub-app; the main app adds it with
``app.add_typer(policy_app, name="policy")``. Until then (or standalone) it runs as
``python -m wildwatch.cli.policy_commands check|show ...``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wildwatch.cli.common import err, fail, lexicon_or_fail
from wildwatch.policy import Policy, PolicyError, RuleState, load_policy

policy_app = typer.Typer(help="Check and show the prohibited-wildlife policy.",
                         no_args_is_help=True, add_completion=False,
                         pretty_exceptions_enable=False)

PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", help="Policy YAML file, or a folder holding policy.yaml (default: "
                 "the shipped one, or $WILDWATCH_POLICY).", exists=True),
]
LexiconOption = Annotated[
    Path | None,
    typer.Option("--lexicon", help="Folder of lexicon YAML files the policy is checked against "
                 "(default: the shipped one, or $WILDWATCH_LEXICON).", exists=True,
                 file_okay=False),
]


def _load(policy: Path | None, lexicon: Path | None) -> Policy:
    """The policy, or exit code 1 with the file, line and fix of its first problem."""
    lex = lexicon_or_fail(lexicon)
    try:
        return load_policy(policy, lexicon=lex)
    except PolicyError as exc:
        err.print(f"[red]invalid policy[/red]: {escape(str(exc))}", markup=True,
                  highlight=False)
        raise typer.Exit(1) from None


@policy_app.command("check")
def check(policy: PolicyOption = None, lexicon: LexiconOption = None) -> None:
    """Validate the policy against the lexicon; print the first problem with its file, line
    and fix."""
    loaded = _load(policy, lexicon)
    scoped = [rule for scope in (*loaded.jurisdictions.values(), *loaded.companies.values())
              for rule in scope.rules]
    every = (*loaded.rules, *scoped)
    states = ", ".join(f"{sum(rule.state is state for rule in every)} {state}"
                       for state in RuleState)
    typer.echo(f"ok: {len(loaded.categories)} categories, {len(every)} rules ({states}; "
               f"{len(scoped)} scoped to a jurisdiction or company), "
               f"{len(loaded.jurisdictions)} jurisdictions, {len(loaded.companies)} "
               f"compan{'y' if len(loaded.companies) == 1 else 'ies'}, "
               f"version {loaded.version}")


@policy_app.command("show")
def show(
    policy: PolicyOption = None,
    lexicon: LexiconOption = None,
    platform: Annotated[str | None, typer.Option(help="Show the rules as they apply on this "
                                                 "platform (its company overrides).")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Show the rules as they apply in "
                                                     "this jurisdiction (e.g. GB).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole policy as JSON "
                                          "(as the read-only API serves it).")] = False,
) -> None:
    """The categories, then the rules that apply to the chosen platform and jurisdiction."""
    loaded = _load(policy, lexicon)
    if as_json:
        if platform or jurisdiction:
            fail("--json prints the whole policy; leave out --platform and --jurisdiction")
        typer.echo(json.dumps(loaded.to_dict(), ensure_ascii=False, indent=2))
        return
    console = Console()
    categories = Table(title=f"policy {loaded.version}: categories")
    for column in ("category", "lexicon groups", "CITES", "reason"):
        categories.add_column(column)
    for category in loaded.categories:
        categories.add_row(*map(escape, (category.id, ", ".join(category.groups),
                                         category.cites_appendix, category.reason)))
    console.print(categories)
    scope = " / ".join(part for part in (platform, jurisdiction and jurisdiction.upper())
                       if part) or "base policy"
    rules = Table(title=escape(f"rules for {scope} (file order; the most severe live rule "
                               "wins)"))
    for column in ("rule", "state", "action", "when", "reason"):
        rules.add_column(column)
    for rule in loaded.rules_for(platform, jurisdiction):
        when = [f"level {'/'.join(rule.levels)}"]
        if rule.categories is not None:
            when.append("category " + ", ".join(rule.categories))
        if rule.min_score is not None:
            when.append(f"score >= {rule.min_score:g}")
        if rule.platforms is not None:
            when.append("on " + ", ".join(rule.platforms))
        if rule.jurisdictions is not None:
            when.append("in " + ", ".join(rule.jurisdictions))
        rules.add_row(*map(escape, (rule.id, rule.state.value, rule.action.value,
                                    "; ".join(when), rule.reason)))
    console.print(rules)


if __name__ == "__main__":
    policy_app()
