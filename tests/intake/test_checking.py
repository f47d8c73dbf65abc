"""Intake's bridge to the checks: policy from settings, cached article profiles, verdicts."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.intake.checking import ChecksResources, policy_from
from bot.settings import Settings, load_settings


def _settings(**env: str) -> Settings:
    base = {"KHABAR_BOT_TOKEN": "1:x", "KHABAR_CHANNEL": "-1001", "KHABAR_MODERATOR_CHAT": "-1002"}
    return load_settings({**base, **{f"KHABAR_{k.upper()}": v for k, v in env.items()}}, env_file=None)


def test_policy_follows_settings() -> None:
    policy = policy_from(_settings(link_policy="review", min_comment_length="3", max_comment_length="500"))
    assert (policy.on_link, policy.on_invite_link, policy.min_length, policy.max_length) == ("review", "reject", 3, 500)


def test_profiles_are_cached_and_verdicts_computed() -> None:
    resources = ChecksResources.build(_settings(), [(1, "قیمت نان در تهران بالا رفت")])
    profile = resources.profile(2, "بارش برف در شمال", "برف سنگین جاده‌های شمال را بست")
    assert resources.profile(2, "ignored", "ignored") is profile
    now = datetime.now(UTC)
    verdict = resources.review("This is in English and not Persian at all, sorry.", profile, [], now)
    assert verdict.decision == "reject"
    same = resources.review("برف امسال جاده‌ها را بست", profile, [("برف امسال جاده ها را بست", now)], now)
    assert "duplicate" in same.codes
