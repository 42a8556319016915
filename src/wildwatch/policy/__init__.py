"""The prohibited-wildlife policy: what a platform does with a verdict, as data analysts edit.

``load_policy()`` reads the shipped harmonised policy (``data/policy.yaml``, aligned with CITES)
and checks it against the lexicon; ``Policy.decide(verdict)`` says what to do. The rules, in
short (the full text is in ``wildwatch.policy.engine`` and docs/policy.md):

* draft rules are ignored; a clear verdict is always ALLOW, with no rule;
* among the live rules that hold, the most severe action wins (ties: first in the file);
  none holds: ALLOW;
* every shadow rule that holds is reported in ``PolicyOutcome.shadow`` and never applied;
* a jurisdiction and a company (platform) can change base rules' action or state by id, and
  add rules of their own; the company's change wins over the jurisdiction's.
"""

from wildwatch.policy.engine import Policy
from wildwatch.policy.loader import PolicyError, load_policy
from wildwatch.policy.model import Action, Category, PolicyOutcome, RuleState, ShadowOutcome

__all__ = [
    "Action",
    "Category",
    "Policy",
    "PolicyError",
    "PolicyOutcome",
    "RuleState",
    "ShadowOutcome",
    "load_policy",
]
