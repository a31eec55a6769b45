"""Scrapy settings of the project; every value can be overridden with ``-s NAME=VALUE``.

Project settings carry the ``ARCHIVE_`` prefix of the component that reads
them. Defaults are polite: robots.txt obeyed, AutoThrottle on, a user agent
that says who is crawling. Spiders may set stricter per-site values in
``custom_settings``. See https://docs.scrapy.org/en/latest/topics/settings.html
"""

from archive.config import db_path_from_env

BOT_NAME = "mfa_scraper"
SPIDER_MODULES = ["mfa_scraper.spiders"]
NEWSPIDER_MODULE = "mfa_scraper.spiders"
#: Our ``crawl`` checks spider arguments before starting (one-line errors).
COMMANDS_MODULE = "mfa_scraper.commands"

#: The archive file: ``-s ARCHIVE_DB=PATH``, else ``$ARCHIVE_DB``, else ``archive.db``.
ARCHIVE_DB = db_path_from_env()

# Politeness. Set USER_AGENT once to name yourself and a contact address.
USER_AGENT = (
    "mfa-archive/0.1 (research archive of diplomatic statements; "
    "+https://github.com/mfa-archive/mfa-archive)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = 3
#: Seconds a page may take to download, all of it (not per read): a server that drips a
#: byte a second is cut here.
DOWNLOAD_TIMEOUT = 60
#: Transcripts are a few hundred KB at most; anything this large is not a page we want.
#: Enforced while reading, before the body is held whole.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024

# Bounds: every loop of a crawl ends (mfa_scraper/bounds.py). A bound that stopped something
# becomes the crawl's finish reason (bounded:SETTING=VALUE), so `archive crawl` exits 1.
#: Wall-clock budget of one crawl, in seconds (finish reason closespider_timeout); a crawl
#: killed or cut short resumes from --jobdir, and incremental crawls skip what is archived.
CLOSESPIDER_TIMEOUT = 12 * 3600
#: Listing pages in a row (a section's pages, feed or API pages, sitemaps) that list no
#: document the crawl has not seen before their section stops paging: an endless pager or
#: a listing that repeats itself.
ARCHIVE_LISTING_STALE_PAGES = 20
#: Listing pages followed in one section at most, new documents or not.
ARCHIVE_LISTING_MAX_PAGES = 5000
#: Sitemap indexes nested deeper than this are not followed (blog spider).
ARCHIVE_SITEMAP_DEPTH = 4
#: WordPress REST API pages of 100 posts asked for at most, whatever X-WP-TotalPages says.
ARCHIVE_API_MAX_PAGES = 500

#: Scrapy's off-site filter compares host names only: requests (and redirects) to another
#: port of a crawled host are refused here.
DOWNLOADER_MIDDLEWARES = {
    "mfa_scraper.bounds.SameOrigin": 45,
    # After RedirectMiddleware (600): sees a redirect before it is followed.
    "mfa_scraper.bounds.OffSiteRedirects": 650,
}
SPIDER_MIDDLEWARES = {
    "mfa_scraper.bounds.ListingBounds": 940,
    # Innermost, next to the spider: flags from reading a page go on its document.
    "mfa_scraper.bounds.PageNotes": 990,
}

# Incremental crawling (mfa_scraper/spiders/incremental.py).
#: Skip archived documents and stop paging early in sections paged to the end before.
ARCHIVE_INCREMENTAL = True
#: Consecutive listing pages holding only archived documents before paging stops.
ARCHIVE_INCREMENTAL_DEPTH = 1
#: Re-check archived documents: "due" (on their schedule), "all" (now), or "none".
ARCHIVE_RECHECK = "due"
#: At most this many re-checks per crawl, the most overdue first.
ARCHIVE_RECHECK_LIMIT = 500
#: The archive is committed after this many items or seconds (mfa_scraper/batches.py).
ARCHIVE_COMMIT_ITEMS = 100
ARCHIVE_COMMIT_SECONDS = 2.0

#: Remembers requests for one run only, so a crawl resumed from JOBDIR after kill -9
#: fetches what was in flight (mfa_scraper/dupefilter.py).
DUPEFILTER_CLASS = "mfa_scraper.dupefilter.RunDupeFilter"

ITEM_PIPELINES = {
    "mfa_scraper.pipelines.ValidatePipeline": 100,
    "mfa_scraper.pipelines.ArchivePipeline": 800,
}

EXTENSIONS = {
    "mfa_scraper.extensions.progress.CrawlProgress": 500,
    "spidermon.contrib.scrapy.extensions.Spidermon": 500,
}

# Monitors (mfa_scraper/monitors.py): Spidermon judges each crawl when its spider closes. A
# failed monitor names itself in the finish reason (monitor-failed:NAME,NAME) and makes
# `scrapy crawl` and `archive crawl` exit 1. -s SPIDERMON_ENABLED=0 switches them off.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["mfa_scraper.monitors.CrawlMonitorSuite"]
#: Sections (start listing pages) that may list no document before the crawl fails.
ARCHIVE_MONITOR_MAX_EMPTY_SECTIONS = 0
#: Listing pages or feeds that may list no document before the crawl fails.
ARCHIVE_MONITOR_MAX_EMPTY_LISTINGS = 0
#: Largest share of stored transcripts without speaker turns (0.1 = 10 %).
ARCHIVE_MONITOR_MAX_TRANSCRIPTS_WITHOUT_TURNS = 0.1
#: Largest share of stored documents without a date.
ARCHIVE_MONITOR_MAX_UNDATED_DOCUMENTS = 0.1
#: The two shares are judged only over at least this many stored documents (transcripts).
ARCHIVE_MONITOR_MIN_DOCUMENTS = 5
#: Monitors not to run, by name (-s ARCHIVE_MONITOR_SKIP=empty-section,empty-listings). With
#: REDIS_URL the scale-out add-on adds no-documents and empty-section: one crawler of a shared
#: frontier sees only a slice of the crawl.
ARCHIVE_MONITOR_SKIP: list[str] = []
#: Live progress line: "auto" (only on a terminal), "1" or "0".
ARCHIVE_PROGRESS = "auto"
ARCHIVE_PROGRESS_INTERVAL = 1.0
#: With REDIS_URL set (setting or environment), crawl on scrapy-redis: see mfa_scraper/scaleout.py.
ADDONS = {"mfa_scraper.scaleout.RedisScaleOut": 0}

#: Scrapy re-reads a callback's source (inspect + ast) on every response to warn about a
#: generator that returns a value: its cache is keyed by the bound method, new for each
#: request, so it never hits (~2 % of a crawl's CPU). tests/test_spider_callbacks.py makes
#: the same check once for every spider's callbacks.
WARN_ON_GENERATOR_RETURN_VALUE = False

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
