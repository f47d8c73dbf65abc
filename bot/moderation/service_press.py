"""A decision button pressed in the moderators' chat: dispatch it, and keep the pressed message honest."""

from __future__ import annotations

from bot.callbacks import Action
from bot.deps import Deps
from bot.moderation import card_updates, service_decide, service_penalties, service_undo
from bot.moderation.service_decide import Moderator, PressOutcome, Result


async def press(
    deps: Deps, action: Action, args: tuple[int, ...], mod: Moderator, pressed: tuple[int, int] | None
) -> PressOutcome:
    """A decision button (approve, reject with a reason, ban for a duration, undo) pressed on the message
    at ``pressed``. A late press on a copy of a decided comment's card (a copy a lost answer left, an old
    card) also edits that copy to show the decision, without buttons; a press on a queue view that no
    longer lists the comment (decided elsewhere) brings the view up to date at once."""
    comment_id = args[0]
    if action is Action.UNDO:
        return await service_undo.undo(deps, comment_id, mod)
    if action is Action.APPROVE:
        outcome = await service_decide.approve(deps, comment_id, mod)
    elif action is Action.REJECT:
        outcome = await service_decide.reject(deps, comment_id, args[1], mod)
        outcome = await service_penalties.after_reject(deps, comment_id, outcome)  # the ladder (issue 18)
    else:
        outcome = await service_decide.ban(deps, comment_id, args[1], mod)
    if outcome.result is Result.ALREADY and pressed is not None:
        await card_updates.close_stale_card(deps, comment_id, *pressed)
    return outcome
