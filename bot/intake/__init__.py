"""Comment intake: ways in (deep link, discussion group, replies), checks, the addition captcha."""
