"""``scrapy crawl`` that checks spider arguments first and exits 1 when a monitor failed.

Scrapy builds a spider inside the running crawl, where a bad argument ends in
a traceback ("Task exception was never retrieved"). This command asks the
spider class to check its arguments first, so ``-a since=yesterday`` ends with
one line naming the expected format and exit status 2.

Scrapy's own command exits 0 whatever the crawl found. A crawl judged by the
monitors (:mod:`mfa_scraper.monitors`) that failed exits 1 here, after one line
per failed monitor on stderr, so a scheduler sees it.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from mfa_scraper.stats import monitor_failures
from mfa_scraper.usage import check_archive_writable, check_setting_values, command_line_values


class Command(ScrapyCrawl):
    crawler: Crawler | None = None

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            spider_class = self.crawler_process.spider_loader.load(args[0])
            check = getattr(spider_class, "check_arguments", None)
            if check is not None:
                check(**opts.spargs)  # raises UsageError, which scrapy prints and exits 2 on
            # Arguments whose validity depends on -s settings (mid's browser=1 and its Chromium).
            check_settings = getattr(spider_class, "check_settings", None)
            if check_settings is not None:
                check_settings(self.settings, **opts.spargs)
        if self.settings is not None:  # -s values of the wrong type, an archive not writable
            check_setting_values(command_line_values(self.settings))
            check_archive_writable(self.settings)
        super().run(args, opts)
        stats = self.crawler.stats.get_stats() if self.crawler and self.crawler.stats else {}
        failures = monitor_failures(args[0], stats)
        if failures:
            sys.stderr.write("".join(f"{line}\n" for line in failures))
            self.exitcode = 1

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        # Kept to read its stats once the crawl is over (`scrapy crawl` runs one spider).
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler
