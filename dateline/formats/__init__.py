"""The site's own date formats (Django's FORMAT_MODULE_PATH): the newsroom reads one format.

Django and Wagtail print a date or time with no explicit format in the locale's format ("Dec. 7,
2026, 9 a.m." in English); the site prints "7 December 2026, 09:00 UTC"
(news/includes/time.html, news.wagtail_hooks.NEWSROOM_DATETIME_FORMAT). With these modules
Wagtail's own panels (the status panel's go-live and expiry times) print the same.
"""
