"""``scrapy crawl`` that checks spider arguments before the crawl starts.

Scrapy builds a spider inside the running crawl, where a bad argument ends in
a traceback ("Task exception was never retrieved"). This command asks the
spider class to check its arguments first, so ``-a since=yesterday`` ends with
one line naming the expected format and exit status 2.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl

from mfa_scraper.usage import check_archive_writable, check_setting_values, command_line_values


class Command(ScrapyCrawl):
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
