"""scrapy-redis' scheduler, adapted to Scrapy 2.19; imported only when scale-out is on.

scrapy-redis 0.9.1 passes ``spider=`` to ``StatsCollector.inc_value``, deprecated since
Scrapy 2.14 (a warning per crawl, an error once removed). These two methods are its own,
minus that argument; the queue, the filter and the settings are scrapy-redis' unchanged.
Drop this module when a scrapy-redis release stops passing ``spider``.
"""

from __future__ import annotations

from typing import Any

from scrapy_redis.scheduler import Scheduler as RedisScheduler


class Scheduler(RedisScheduler):
    """:class:`scrapy_redis.scheduler.Scheduler` without the deprecated stats argument."""

    def enqueue_request(self, request: Any) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Any:
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
