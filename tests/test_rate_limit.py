"""The sliding-window limiter behind Khabar's AIORateLimiter: bursts pass, a full window waits."""

from __future__ import annotations

import asyncio

from bot.rate_limit import KhabarRateLimiter, SlidingWindow


async def test_a_burst_up_to_the_limit_passes_then_the_window_is_full() -> None:
    window = SlidingWindow(3, 60.0)
    for _ in range(3):
        async with window:
            pass
    assert not window.has_capacity()
    waiting = asyncio.create_task(window.__aenter__())
    await asyncio.sleep(0.01)
    assert not waiting.done()  # the fourth waits for the first to leave the window
    waiting.cancel()


async def test_limiter_uses_one_window_per_group_and_zero_lifts_limits() -> None:
    limiter = KhabarRateLimiter(30, 20)
    assert limiter._get_group_limiter(-100) is limiter._get_group_limiter(-100)
    assert limiter._get_group_limiter(-100).max_rate == 20
    lifted = KhabarRateLimiter(0, 0)
    assert lifted._base_limiter is None
