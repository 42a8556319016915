"""Learning from reviewers, on SQLite and PostgreSQL: decisions in the store, a retrained model
compared with the one in use, promotion, and the server scoring with the promoted model."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wildwatch.cli.main import app
from wildwatch.model import load_model
from wildwatch.model.reviewers import MIN_DECISIONS, decision_rows, hold_out
from wildwatch.model.training import LabelledPost
from wildwatch.policy import Action
from wildwatch.server.service import Service
from wildwatch.settings import Settings
from wildwatch.store import Role

CORPUS = Path(__file__).resolve().parents[2] / "data" / "training" / "posts.jsonl"
GOLDEN = Path(__file__).parent.parent / "golden"
RUNNER = CliRunner()
_LABEL_FIELDS = ("label", "group", "kind", "template", "split")


@pytest.fixture
def cli_env(service: Service, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI reads the same settings as the service under test."""
    settings = service.settings
    monkeypatch.setenv("WILDWATCH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("WILDWATCH_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.delenv("WILDWATCH_MODEL_FILE", raising=False)
    return settings


def queued_items(service: Service) -> list[int]:
    """Receive the corpus's test split as a platform would send it; the review items made."""
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    posts = [{key: value for key, value in record.items() if key not in _LABEL_FIELDS}
             for record in records if record["split"] == "test"]
    receipts = service.receive(posts, actor="test", platform="shopco")
    items = [r.review_item for r in receipts if r.review_item is not None]
    assert len(items) >= 2 * MIN_DECISIONS, f"only {len(items)} posts were queued"
    return items


def decide(service: Service, items: list[int], actions: list[Action]) -> None:
    """A moderator claims and decides each item, as the console does."""
    store = service.store
    moderator = store.create_user("mod", "correct horse battery", Role.MODERATOR)
    for item, action in zip(items, actions, strict=False):
        store.claim(item, moderator)
        store.decide(item, moderator, action, "test decision")


def decisions_of_both_kinds(count: int) -> list[Action]:
    # The reviewers here allow a third of what the model queues: the labels are theirs,
    # whatever the corpus says.
    return [Action.ALLOW if i % 3 == 0 else Action.REMOVE for i in range(count)]


def test_retrain_compare_promote_and_serve(service: Service, cli_env: Settings) -> None:
    items = queued_items(service)[:36]
    decide(service, items, decisions_of_both_kinds(len(items)))
    assert len(list(service.store.labelled_posts())) == 36

    result = RUNNER.invoke(app, ["train", "--from-decisions", "--folds", "2"])
    assert result.exit_code == 0, result.output
    candidates = list((cli_env.data_dir / "models" / "candidates").glob("*.zip"))
    assert len(candidates) == 1
    new = load_model(candidates[0])
    shipped = load_model()
    assert new.meta["reviewers"]["decisions"] == 36
    assert new.meta["reviewers"]["held_out"] == 9  # a quarter of 24 remove, 12 allow
    assert "27 reviewers' decisions" in new.meta["training"]["data"]

    report = candidates[0].with_name(f"{candidates[0].stem}-report")
    comparison = (report / "comparison.md").read_text(encoding="utf-8")
    assert "The new model is better" in comparison or "The new model is not better" in comparison
    assert f"in use `{shipped.version}`" in comparison and f"new `{new.version}`" in comparison
    assert "## On the held-out decisions (9 posts: 6 offers, 3 not)" in comparison
    assert "## On the corpus's test split" in comparison
    figures = new.meta["reviewers"]["comparison"]["held_out_decisions"]
    assert f"| MCC | {figures['in_use']['mcc']:.3f} | {figures['new']['mcc']:.3f} |" in comparison
    for name in ("in-use-decisions.md", "new-decisions.md", "in-use-corpus-test.md",
                 "new-corpus-test.md"):
        assert (report / name).read_text(encoding="utf-8").startswith("# ")

    promoted = RUNNER.invoke(app, ["model", "promote", str(candidates[0])])
    assert promoted.exit_code == 0, promoted.output
    assert (cli_env.data_dir / "models" / "active.zip").is_file()
    entry = service.store.audit(subject="model")[0]
    assert entry.verb == "model.promote" and entry.detail["version"] == new.version
    shown = RUNNER.invoke(app, ["model", "show"])
    assert shown.exit_code == 0, shown.output
    assert new.version in shown.output and "by cli" in shown.output

    restarted = Service(cli_env)  # no detector given: it builds the one `serve` would
    try:
        receipt = restarted.receive([{"id": "after", "text": "ivory bangle, DM for price"}],
                                    actor="test", platform="shopco")[0]
        assert receipt.verdict["model_version"] == new.version
        assert restarted.detector.flag_threshold == new.thresholds[0]
    finally:
        restarted.close()

    back = RUNNER.invoke(app, ["model", "rollback"])
    assert back.exit_code == 0, back.output
    assert "rolled back to " + shipped.version in " ".join(back.output.split())
    shown = RUNNER.invoke(app, ["model", "show"])
    assert shipped.version in shown.output and "shipped with wildwatch" in shown.output


@pytest.mark.parametrize(("case", "count", "both"), [
    ("too_few", 5, True),
    ("one_label", MIN_DECISIONS, False),
])
def test_refuses_decisions_it_cannot_learn_from(case: str, count: int, both: bool,
                                                 service: Service, cli_env: Settings) -> None:
    items = queued_items(service)[:count]
    decide(service, items, decisions_of_both_kinds(count) if both else [Action.REMOVE] * count)
    result = RUNNER.invoke(app, ["train", "--from-decisions"])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    golden = GOLDEN / f"train_from_decisions_{case}.txt"
    if os.environ.get("WILDWATCH_UPDATE_GOLDEN"):
        golden.write_text(message + "\n", encoding="utf-8")
    assert message == golden.read_text(encoding="utf-8").strip()
    assert not (cli_env.data_dir / "models").exists()


def test_held_out_decisions_are_stratified_and_stay_held_out() -> None:
    def rows(count: int) -> list[LabelledPost]:
        return decision_rows(({"id": str(i), "platform": "p", "text": "ivory"}, int(i % 4 > 0))
                             for i in range(count))

    train, held = hold_out(rows(40), 0.25, seed=3)
    assert len(held) == 10 and sum(r.label for r in held) == 8  # 30 offers, 10 not
    assert {r.post.id for r in train}.isdisjoint(r.post.id for r in held)
    _, more = hold_out(rows(44), 0.25, seed=3)
    kept = {r.post.id for r in held} & {r.post.id for r in more}
    assert len(kept) >= 8
