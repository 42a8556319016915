"""The policy: the shipped file, rule states, most-severe-wins, shadow reporting, overrides, and
every validation message (checked against golden files)."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wildwatch import Level, Verdict
from wildwatch.cli.policy_commands import policy_app
from wildwatch.lexicon import Group, Lexicon, load_lexicon
from wildwatch.policy import (
    Action,
    Policy,
    PolicyError,
    PolicyOutcome,
    RuleState,
    ShadowOutcome,
    load_policy,
)

GOLDEN = Path(__file__).parent.parent / "golden"
RUNNER = CliRunner()


@functools.cache
def shipped() -> Policy:
    return load_policy()


def verdict(level: Level, *species: str, score: float = 0.5,
            platform: str | None = None) -> Verdict:
    return Verdict(id="p1", score=score, flagged=level is not Level.CLEAR, level=level,
                   species=list(species), platform=platform)


# --- The shipped policy ---------------------------------------------------------------------

def test_the_shipped_policy_covers_every_lexicon_group_once() -> None:
    policy = shipped()
    lexicon = load_lexicon()
    covered = [group for category in policy.categories for group in category.groups]
    assert sorted(covered) == sorted(lexicon.groups)
    for group in lexicon.groups:
        category = policy.category_for(group)
        assert category is not None and group in category.groups
        assert category.reason and category.source and category.cites_appendix
    assert policy.category_for("dodo") is None
    assert len(policy.version) == 12


def test_the_shipped_policy_has_rules_in_every_state_and_an_example_company() -> None:
    policy = shipped()
    every = [*policy.rules, *(rule for scope in policy.jurisdictions.values()
                              for rule in scope.rules),
             *(rule for scope in policy.companies.values() for rule in scope.rules)]
    assert {rule.state for rule in every} == set(RuleState)
    assert "example-marketplace" in policy.companies
    assert {"CN", "US", "GB", "EU"} <= set(policy.jurisdictions)


def test_the_shipped_policy_is_json_for_the_api() -> None:
    data = json.loads(json.dumps(shipped().to_dict()))
    assert data["version"] == shipped().version
    assert [c["id"] for c in data["categories"]][:3] == ["ivory", "rhino_horn", "pangolin"]
    assert data["companies"]["example-marketplace"]["overrides"][0]["state"] == "live"
    assert data["rules"][0]["levels"] == ["review"]


@pytest.mark.parametrize(("level", "species", "score", "action", "rule", "category"), [
    (Level.CLEAR, (), 0.0, Action.ALLOW, None, None),
    (Level.CLEAR, ("elephant",), 0.2, Action.ALLOW, None, "ivory"),
    (Level.REVIEW, ("elephant",), 0.5, Action.REVIEW, "review-level-review", "ivory"),
    (Level.LIKELY, ("elephant",), 0.95, Action.REMOVE, "likely-prohibited-remove", "ivory"),
    (Level.LIKELY, ("pangolin",), 0.9, Action.REMOVE, "likely-prohibited-remove", "pangolin"),
    (Level.LIKELY, ("reptiles",), 0.9, Action.ESCALATE, "likely-permit-escalate", "reptiles"),
    (Level.LIKELY, (), 0.9, Action.REVIEW, "likely-review", None),
    # The shipped shark-fin remove rule is a draft: ignored.
    (Level.LIKELY, ("shark_fin",), 0.9, Action.ESCALATE, "likely-permit-escalate", "shark_fin"),
])
def test_shipped_defaults(level: Level, species: tuple[str, ...], score: float, action: Action,
                          rule: str | None, category: str | None) -> None:
    outcome = shipped().decide(verdict(level, *species, score=score))
    assert (outcome.action, outcome.rule_id, outcome.category) == (action, rule, category)
    assert outcome.shadow == ()
    if rule is not None:
        assert outcome.reason.startswith(f"Rule {rule}: ")


def test_the_shipped_shadow_rule_is_reported_not_applied() -> None:
    outcome = shipped().decide(verdict(Level.LIKELY, "live_animals", score=0.95))
    assert outcome.action is Action.ESCALATE
    assert outcome.shadow == (ShadowOutcome("likely-live-animals-block-seller",
                                            Action.BLOCK_SELLER),)
    assert shipped().decide(verdict(Level.LIKELY, "live_animals", score=0.8)).shadow == ()


def test_the_example_marketplace_applies_the_seller_block_and_its_own_rule() -> None:
    policy = shipped()
    live = policy.decide(verdict(Level.LIKELY, "primates", score=0.95),
                         platform="example-marketplace")
    assert (live.action, live.rule_id, live.shadow) == (
        Action.BLOCK_SELLER, "likely-live-animals-block-seller", ())
    assert "block the seller" in live.reason
    fin = policy.decide(verdict(Level.LIKELY, "shark_fin", score=0.9,
                                platform="example-marketplace"))
    assert (fin.action, fin.rule_id) == (Action.REMOVE, "example-marketplace-shark-fin-remove")


@pytest.mark.parametrize("code", ["CN", "GB", "US", "EU", "gb"])
def test_ivory_ban_jurisdictions_escalate_uncertain_ivory(code: str) -> None:
    outcome = shipped().decide(verdict(Level.REVIEW, "elephant"), jurisdiction=code)
    assert (outcome.action, outcome.rule_id) == (Action.ESCALATE, "ivory-ban-review-escalate")
    elsewhere = shipped().decide(verdict(Level.REVIEW, "elephant"), jurisdiction="FR")
    assert elsewhere.action is Action.REVIEW


def test_jurisdiction_rules_live_and_shadow() -> None:
    tiger = shipped().decide(verdict(Level.REVIEW, "big_cat"), jurisdiction="VN")
    assert (tiger.action, tiger.rule_id) == (Action.ESCALATE, "vn-ivory-big-cat-review-escalate")
    pet = shipped().decide(verdict(Level.REVIEW, "birds"), jurisdiction="TH")
    assert pet.action is Action.REVIEW
    assert pet.shadow == (ShadowOutcome("th-live-animals-review-escalate", Action.ESCALATE),)


# --- Rule semantics, on a small policy of its own --------------------------------------------

MINI_LEXICON = Lexicon(
    groups={gid: Group(id=gid, name=gid, description="", cites="", taxa=[], sources={})
            for gid in ("elephant", "pangolin", "live_animals")},
    version="test")

GOOD = """\
name: Test policy
sources:
  cites: "CITES Appendices I, II and III"
categories:
  - id: ivory
    name: Ivory
    groups: [elephant]
    cites_appendix: "I/II"
    reason: Ivory trade is prohibited.
    source: cites
  - id: pangolin
    name: Pangolin
    groups: [pangolin]
    cites_appendix: "I"
    reason: Pangolin trade is prohibited.
    source: cites
  - id: pets
    name: Exotic pets
    groups: [live_animals]
    cites_appendix: varies
    reason: Exotic pet offers are prohibited.
    source: https://example.org/pets
rules:
  - id: review-all
    state: live
    levels: [review]
    action: review
    reason: Look at it.
  - id: likely-escalate
    state: live
    levels: [likely]
    action: escalate
    reason: A specialist looks.
  - id: likely-remove
    state: live
    levels: [likely]
    categories: [ivory, pangolin]
    action: remove
    reason: Remove it.
  - id: likely-remove-again
    state: live
    levels: [likely]
    categories: [pangolin]
    action: remove
    reason: Second remove rule, loses ties.
  - id: confident-pets-block
    state: shadow
    levels: [likely]
    categories: [pets]
    min_score: 0.9
    action: block_seller
    reason: Being measured.
  - id: pets-draft
    state: draft
    categories: [pets]
    action: block_seller
    reason: Not yet.
  - id: acme-only
    state: live
    levels: [review]
    categories: [pets]
    platforms: [acme]
    action: escalate
    reason: Acme escalates pets.
jurisdictions:
  GB:
    name: United Kingdom
    overrides:
      - {id: likely-escalate, action: remove}
      - {id: pets-draft, state: live}
    rules:
      - {id: gb-ivory-review, state: live, levels: [review], categories: [ivory],
         action: escalate, reason: GB escalates ivory.}
companies:
  shop:
    name: Example shop
    overrides:
      - {id: likely-escalate, action: review, reason: The shop reviews.}
      - {id: confident-pets-block, state: live}
    rules:
      - {id: shop-pangolin-block, state: shadow, levels: [likely],
         categories: [pangolin], action: block_seller, reason: Shop measures blocking.}
"""


def mini(tmp_path: Path, text: str = GOOD) -> Policy:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path, lexicon=MINI_LEXICON)


def decide(policy: Policy, level: Level, *species: str, score: float = 0.5,
           platform: str | None = None, jurisdiction: str | None = None) -> PolicyOutcome:
    return policy.decide(verdict(level, *species, score=score), platform=platform,
                         jurisdiction=jurisdiction)


def test_a_folder_means_its_policy_yaml(tmp_path: Path) -> None:
    assert mini(tmp_path).version == load_policy(tmp_path, lexicon=MINI_LEXICON).version


def test_the_most_severe_live_rule_wins_whatever_its_place(tmp_path: Path) -> None:
    policy = mini(tmp_path)
    outcome = decide(policy, Level.LIKELY, "elephant")
    assert (outcome.action, outcome.rule_id, outcome.category) == (
        Action.REMOVE, "likely-remove", "ivory")
    assert outcome.reason == "Rule likely-remove: Remove it."


def test_ties_go_to_the_rule_first_in_the_file(tmp_path: Path) -> None:
    assert decide(mini(tmp_path), Level.LIKELY, "pangolin").rule_id == "likely-remove"
    swapped = GOOD.replace("  - id: likely-remove\n", "  - id: likely-remove-first\n")
    swapped = swapped.replace("  - id: likely-remove-again\n", "  - id: likely-remove\n")
    swapped = swapped.replace("  - id: likely-remove-first\n", "  - id: likely-remove-again\n")
    assert decide(mini(tmp_path, swapped), Level.LIKELY, "pangolin").rule_id == \
        "likely-remove-again"


def test_the_category_is_the_first_of_the_verdicts_that_the_deciding_rule_names(
        tmp_path: Path) -> None:
    policy = mini(tmp_path)
    outcome = decide(policy, Level.LIKELY, "live_animals", "elephant", "dodo")
    assert (outcome.rule_id, outcome.category) == ("likely-remove", "ivory")
    assert decide(policy, Level.REVIEW, "dodo", "live_animals").category == "pets"


def test_clear_verdicts_are_allowed_and_no_rule_is_named(tmp_path: Path) -> None:
    policy = mini(tmp_path)
    for species in ((), ("elephant",)):
        outcome = decide(policy, Level.CLEAR, *species, score=0.99)
        assert (outcome.action, outcome.rule_id, outcome.shadow) == (Action.ALLOW, None, ())
        assert outcome.category == ("ivory" if species else None)


def test_nothing_matched_is_allow(tmp_path: Path) -> None:
    policy = mini(tmp_path, GOOD.replace("    levels: [review]\n    action: review\n",
                                         "    levels: [review]\n    categories: [pets]\n"
                                         "    action: review\n"))
    outcome = decide(policy, Level.REVIEW, "elephant")
    assert (outcome.action, outcome.rule_id, outcome.category) == (Action.ALLOW, None, "ivory")
    assert "No live rule" in outcome.reason


def test_shadow_rules_are_reported_and_never_applied(tmp_path: Path) -> None:
    policy = mini(tmp_path)
    sure = decide(policy, Level.LIKELY, "live_animals", score=0.95)
    assert (sure.action, sure.rule_id) == (Action.ESCALATE, "likely-escalate")
    assert sure.shadow == (ShadowOutcome("confident-pets-block", Action.BLOCK_SELLER),)
    assert decide(policy, Level.LIKELY, "live_animals", score=0.89).shadow == ()


def test_draft_rules_are_ignored(tmp_path: Path) -> None:
    outcome = decide(mini(tmp_path), Level.REVIEW, "live_animals")
    assert (outcome.action, outcome.rule_id, outcome.shadow) == (Action.REVIEW, "review-all", ())


def test_a_platforms_condition_limits_a_rule_to_those_platforms(tmp_path: Path) -> None:
    policy = mini(tmp_path)
    assert decide(policy, Level.REVIEW, "live_animals", platform="acme").rule_id == "acme-only"
    assert decide(policy, Level.REVIEW, "live_animals", platform="other").rule_id == "review-all"
    on_verdict = policy.decide(verdict(Level.REVIEW, "live_animals", platform="acme"))
    assert on_verdict.rule_id == "acme-only"


def test_jurisdiction_overrides_and_rules(tmp_path: Path) -> None:
    policy = mini(tmp_path)
    assert decide(policy, Level.LIKELY, jurisdiction="GB").action is Action.REMOVE
    drafted_live = decide(policy, Level.REVIEW, "live_animals", jurisdiction="GB")
    assert (drafted_live.action, drafted_live.rule_id) == (Action.BLOCK_SELLER, "pets-draft")
    ivory = decide(policy, Level.REVIEW, "elephant", jurisdiction="GB")
    assert (ivory.action, ivory.rule_id) == (Action.ESCALATE, "gb-ivory-review")
    assert decide(policy, Level.REVIEW, "elephant", jurisdiction="FR").rule_id == "review-all"
    assert decide(policy, Level.REVIEW, "elephant").rule_id == "review-all"


def test_company_overrides_and_rules(tmp_path: Path) -> None:
    policy = mini(tmp_path)
    reviewed = decide(policy, Level.LIKELY, platform="shop")
    assert (reviewed.action, reviewed.reason) == (
        Action.REVIEW, "Rule likely-escalate: The shop reviews.")
    blocked = decide(policy, Level.LIKELY, "live_animals", score=0.95, platform="shop")
    assert (blocked.action, blocked.rule_id, blocked.shadow) == (
        Action.BLOCK_SELLER, "confident-pets-block", ())
    pangolin = decide(policy, Level.LIKELY, "pangolin", platform="shop")
    assert pangolin.action is Action.REMOVE
    assert pangolin.shadow == (ShadowOutcome("shop-pangolin-block", Action.BLOCK_SELLER),)
    assert decide(policy, Level.LIKELY, "pangolin").shadow == ()


def test_the_company_override_wins_over_the_jurisdictions(tmp_path: Path) -> None:
    outcome = decide(mini(tmp_path), Level.LIKELY, platform="shop", jurisdiction="GB")
    assert (outcome.action, outcome.rule_id) == (Action.REVIEW, "likely-escalate")


def test_rules_for_shows_a_scope_in_file_order(tmp_path: Path) -> None:
    policy = mini(tmp_path)
    rules = policy.rules_for("shop", "GB")
    assert [rule.id for rule in rules] == [
        "review-all", "likely-escalate", "likely-remove", "likely-remove-again",
        "confident-pets-block", "pets-draft", "gb-ivory-review", "shop-pangolin-block"]
    states = {rule.id: (rule.state, rule.action) for rule in rules}
    assert states["likely-escalate"] == (RuleState.LIVE, Action.REVIEW)
    assert states["pets-draft"] == (RuleState.LIVE, Action.BLOCK_SELLER)


def test_decide_many_agrees_with_decide(tmp_path: Path) -> None:
    policy = mini(tmp_path)
    verdicts = [verdict(level, *species, score=score, platform=platform)
                for level in Level
                for species in ((), ("elephant",), ("live_animals", "pangolin"))
                for score in (0.5, 0.95)
                for platform in (None, "shop", "acme")]
    codes = [("GB", None, "gb", "FR")[i % 4] for i in range(len(verdicts))]
    expected = [policy.decide(v, jurisdiction=code) for v, code in zip(verdicts, codes,
                                                                       strict=True)]
    assert policy.decide_many(verdicts, None, codes) == expected
    assert policy.decide_many(verdicts, "shop", "GB") == [
        policy.decide(v, platform="shop", jurisdiction="GB") for v in verdicts]
    platforms = ["acme"] * len(verdicts)
    assert policy.decide_many(verdicts, platforms) == [
        policy.decide(v, platform="acme") for v in verdicts]
    with pytest.raises(ValueError, match="2 platforms for 54 verdicts"):
        policy.decide_many(verdicts, ["shop", "acme"])


def test_the_policy_cannot_be_changed(tmp_path: Path) -> None:
    policy = mini(tmp_path)
    with pytest.raises(AttributeError):
        policy.version = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        policy.companies["x"] = policy.companies["shop"]  # type: ignore[index]


def test_action_severities_are_ordered_and_spaced() -> None:
    severities = [action.severity for action in Action]
    assert severities == [0, 1_000, 2_000, 3_000, 4_000]


# --- Validation messages, against golden files -----------------------------------------------

BAD_POLICIES = {
    "unknown_key": GOOD.replace("    reason: Look at it.\n",
                                "    reason: Look at it.\n    colour: red\n"),
    "unknown_action": GOOD.replace("    action: review\n", "    action: reveiw\n", 1),
    "unknown_state": GOOD.replace("state: shadow", "state: measured"),
    "unknown_category": GOOD.replace("categories: [pangolin]\n", "categories: [pangolins]\n"),
    "empty_condition": GOOD.replace("categories: [pangolin]\n", "categories: []\n"),
    "unknown_level": GOOD.replace("levels: [review]\n    action: review",
                                  "levels: [clear]\n    action: review"),
    "group_not_covered": GOOD[:GOOD.index("  - id: pets\n")] + GOOD[GOOD.index("rules:\n"):],
    "unknown_group": GOOD.replace("groups: [elephant]", "groups: [elefant]"),
    "group_in_two_categories": GOOD.replace("groups: [live_animals]",
                                            "groups: [live_animals, pangolin]"),
    "duplicate_rule_id": GOOD.replace("id: likely-remove-again", "id: likely-remove"),
    "duplicate_scoped_rule_id": GOOD.replace("id: shop-pangolin-block", "id: gb-ivory-review"),
    "duplicate_category_id": GOOD.replace("  - id: pets\n", "  - id: ivory\n"),
    "bad_min_score": GOOD.replace("min_score: 0.9", "min_score: 9"),
    "text_min_score": GOOD.replace("min_score: 0.9", "min_score: high"),
    "bad_rule_id": GOOD.replace("id: review-all", "id: Review All"),
    "unknown_override": GOOD.replace("{id: likely-escalate, action: remove}",
                                     "{id: likely-escalator, action: remove}"),
    "override_changes_nothing": GOOD.replace("{id: likely-escalate, action: remove}",
                                             "{id: likely-escalate, reason: Why}"),
    "override_unknown_action": GOOD.replace("{id: likely-escalate, action: remove}",
                                            "{id: likely-escalate, action: delete}"),
    "scoped_rule_names_its_platform": GOOD.replace(
        "categories: [pangolin], action: block_seller",
        "categories: [pangolin], platforms: [shop], action: block_seller"),
    "bad_jurisdiction_code": GOOD.replace("  GB:\n", "  UK-GB:\n"),
    "duplicate_jurisdiction": GOOD.replace("companies:\n",
                                           "  GB:\n    name: Britain\ncompanies:\n"),
    "bad_platform_id": GOOD.replace("  shop:\n", "  Shop Inc:\n"),
    "unknown_source": GOOD.replace("    source: cites\n", "    source: traffic\n", 1),
    "missing_source": GOOD.replace("    source: cites\n", "", 1),
    "bad_appendix": GOOD.replace('cites_appendix: "I"\n', 'cites_appendix: "Appendix I"\n'),
    "missing_reason": GOOD.replace("    reason: Look at it.\n", ""),
    "no_rules": GOOD[:GOOD.index("rules:\n")],
    "not_yaml": GOOD.replace("levels: [review]\n", "levels: [review\n", 1),
}


@pytest.mark.parametrize("case", sorted(BAD_POLICIES))
def test_policy_errors_name_file_line_and_fix(case: str, tmp_path: Path) -> None:
    assert BAD_POLICIES[case] != GOOD
    with pytest.raises(PolicyError) as caught:
        mini(tmp_path, BAD_POLICIES[case])
    message = str(caught.value).replace(str(tmp_path), "<dir>")
    assert message.startswith("<dir>/policy.yaml:") and ". Fix: " in message
    golden = GOLDEN / f"policy_{case}.txt"
    if os.environ.get("WILDWATCH_UPDATE_GOLDEN"):
        golden.write_text(message + "\n", encoding="utf-8")
    assert message == golden.read_text(encoding="utf-8").strip()


def test_a_missing_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read the policy file"):
        load_policy(tmp_path / "nope.yaml", lexicon=MINI_LEXICON)


def test_the_shipped_policy_fails_against_a_lexicon_with_a_new_group() -> None:
    groups = dict(load_lexicon().groups)
    groups["dodo"] = Group(id="dodo", name="Dodo", description="", cites="", taxa=[],
                           sources={})
    with pytest.raises(PolicyError, match="not covered by any category: dodo"):
        load_policy(lexicon=Lexicon(groups=groups, version="with-dodo"))


# --- The command line ------------------------------------------------------------------------

def test_policy_check_passes_on_the_shipped_policy() -> None:
    result = RUNNER.invoke(policy_app, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 13 categories")
    assert f"version {shipped().version}" in result.output


def test_policy_check_names_the_line_of_a_bad_policy(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        shipped_text().replace("action: escalate", "action: escalte", 1), encoding="utf-8")
    result = RUNNER.invoke(policy_app, ["check", "--policy", str(tmp_path)])
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "invalid policy:" in message and "unknown action 'escalte'" in message


def test_policy_show_lists_a_scope_and_prints_json() -> None:
    table = RUNNER.invoke(policy_app, ["show", "--platform", "example-marketplace",
                                       "--jurisdiction", "GB"], env={"COLUMNS": "300"})
    assert table.exit_code == 0, table.output
    assert "example-marketplace-shark-fin-remove" in table.output
    as_json = RUNNER.invoke(policy_app, ["show", "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["version"] == shipped().version


def shipped_text() -> str:
    return (Path(__file__).parents[2] / "src" / "wildwatch" / "policy" / "data"
            / "policy.yaml").read_text(encoding="utf-8")
