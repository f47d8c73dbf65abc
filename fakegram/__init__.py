"""A fake Telegram Bot API server for tests and demos.

    fake = FakeTelegram()
    await fake.start()
    bot = telegram.Bot(fake.token, base_url=fake.base_url)
"""

from .actors import CallbackHandle, FakeUser
from .control import Failure, FakeTelegram
from .errors import ApiError
from .server import CallRecord
from .world import Chat, StoredMessage

__all__ = ["ApiError", "CallRecord", "CallbackHandle", "Chat", "Failure", "FakeTelegram", "FakeUser", "StoredMessage"]
