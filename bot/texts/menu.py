"""The bot's command menus (setMyCommands): Persian descriptions, 1-256 characters each."""

# Readers, in private chats with the bot.
PRIVATE = (
    ("start", "شروع و فهرست خبرهای تازه برای ثبت نظر"),
    ("my", "نظرهای من و وضعیتشان"),
    ("notify", "اعلانِ پاسخ‌ها به نظرهایم: روشن یا خاموش"),
    ("help", "راهنما"),
)

# Moderators, in the moderators' group.
MODERATORS = (
    ("queue", "نظرهای در انتظار بررسی و کارت‌های گم‌شده؛ /queue شمارهٔ خبر برای یک خبر"),
    ("stats", "آمار امروز و هفت روز گذشته"),
    ("ban", "مسدود کردن کاربر: /ban شناسه [روز]"),
    ("unban", "رفع مسدودیت کاربر: /unban شناسه"),
    ("trust", "کاربر مورد اعتماد، بی‌نیاز از بررسی: /trust شناسه"),
    ("untrust", "پایان اعتماد به کاربر: /untrust شناسه"),
    ("close", "بستن نظرهای یک خبر: /close کد نظر یا شمارهٔ خبر"),
    ("open", "بازکردن دوبارهٔ نظرهای یک خبر: /open کد نظر یا شمارهٔ خبر"),
    ("remove", "حذف نظر منتشرشده: /remove کد نظر"),
    ("purge", "حذف همهٔ نظرهای منتشرشدهٔ یک کاربر: /purge شناسه"),
    ("words", "فهرست واژه‌های مسدود و مجاز: /words block|allow|remove دسته واژه"),
    ("feeds", "خوراک‌های خبر: /feeds، /feeds add نشانی، /feeds remove شماره"),
)
