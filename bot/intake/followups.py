"""What follows a direct reply, once the handler has made it: the one place a step's ``then`` is read."""

from __future__ import annotations

from dataclasses import replace

from bot.deps import Deps
from bot.intake import service_captcha, service_submit
from bot.intake.steps import AnswerShown, CaptchaShown, GroupNote, IfRefused, Send, Step, Submitted, Then


async def after(deps: Deps, then: Then, shown: int | None) -> list[Step]:
    """``then`` told what became of its step (``shown``: the message id, None if Telegram refused); the
    steps that follow."""
    if isinstance(then, CaptchaShown):
        if await service_captcha.shown(deps, then, shown):
            return []
        return await _otherwise(deps, then.otherwise)
    if isinstance(then, IfRefused):
        return [] if shown is not None else await _otherwise(deps, then.otherwise)
    if isinstance(then, AnswerShown):
        if then.reply is not None and not (shown is not None and then.unless_edited):
            if then.pending is None:
                return [then.reply]
            return [replace(then.reply, then=Submitted(then.pending, receipt_in=then.reply.chat_id))]
        if then.pending is not None:
            service_captcha.submitted(deps, then.pending)
        return []
    if then.receipt_in is not None and shown is not None:
        await service_captcha.receipt_moved(deps, then.comment_id, then.receipt_in, shown)
    service_captcha.submitted(deps, then.comment_id)
    return []


async def _otherwise(deps: Deps, otherwise: Send | GroupNote | None) -> list[Step]:
    if isinstance(otherwise, GroupNote):
        await service_submit.post_note(deps, otherwise)
        return []
    return [otherwise] if otherwise is not None else []
