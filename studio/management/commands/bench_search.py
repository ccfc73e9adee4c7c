"""Time the front desk's customer search with a large file of couples.

    python manage.py bench_search --branch sh1            # fills up to 200,000 couples
    python manage.py bench_search --branch sh1 --count 50000 --searches 200

Couples are created in bulk only when the branch has fewer than --count; then --searches
phone-prefix and name searches run through `studio.selectors.search_customers`, the very
function the search page uses, and the median and 95th percentile are printed in ms.
"""

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from studio.models import Branch, Customer
from studio.selectors import search_customers

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰春燕俊峰琳晶雪梅婷欣怡宇浩然博文轩涵子晨思佳嘉瑶琪悦诗雨馨"
PINYIN = ["Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"]
GIVEN_PINYIN = ["Na", "Wei", "Fang", "Min", "Jing", "Lei", "Yang", "Yan", "Jie", "Tao", "Ming"]


def _name(rng):
    if rng.random() < 0.15:
        return f"{rng.choice(PINYIN)} {rng.choice(GIVEN_PINYIN)}{rng.choice(GIVEN_PINYIN).lower()}"
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


class Command(BaseCommand):
    help = "Fill a branch with couples (bulk) and time the as-you-type customer search."

    def add_arguments(self, parser):
        parser.add_argument("--branch", required=True, help="branch code")
        parser.add_argument("--count", type=int, default=200_000)
        parser.add_argument("--searches", type=int, default=200)
        parser.add_argument("--seed", type=int, default=3)

    def handle(self, *, branch, count, searches, seed, **options):
        try:
            branch = Branch.objects.get(code=branch)
        except Branch.DoesNotExist as exc:
            raise CommandError(f"No branch with code {branch!r}.") from exc
        rng = random.Random(seed)
        self._fill(branch, count, rng)
        queries = self._queries(branch, searches, rng)
        base = Customer.objects.filter(branch__in=[branch.pk])
        list(search_customers(base, queries[0]))  # warm the connection and caches
        timings, found = [], 0
        for q in queries:
            start = time.perf_counter()
            found += len(list(search_customers(base, q)))
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
        total = base.count()
        self.stdout.write(
            f"{len(queries)} searches over {total:,} couples at {branch.code}: "
            f"median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, "
            f"max {timings[-1]:.2f} ms ({found} rows found)"
        )
        if p95 >= 100:
            self.stderr.write(self.style.WARNING("p95 is over the 100 ms target."))

    def _fill(self, branch, count, rng):
        have = Customer.objects.filter(branch=branch).count()
        if have >= count:
            return
        self.stdout.write(f"Filing {count - have:,} couples at {branch.code} …")
        batch = []
        base = 13_000_000_000 + branch.pk * 100_000_000 + have
        for n in range(have, count):
            # Spread phones over the number space so prefixes behave like real ones.
            bride = str(base + (n * 7919) % 99_000_000)
            batch.append(
                Customer(
                    branch=branch,
                    bride_name=_name(rng),
                    groom_name=_name(rng),
                    bride_phone=bride,
                    groom_phone=str(int(bride) + 600_000_000) if rng.random() < 0.8 else "",
                )
            )
            if len(batch) == 10_000:
                Customer.objects.bulk_create(batch)
                batch = []
        if batch:
            Customer.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE studio_customer")

    def _queries(self, branch, searches, rng):
        sample = list(
            Customer.objects.filter(branch=branch)
            .order_by("?")
            .values_list("bride_phone", "groom_phone", "bride_name", "groom_name")[:searches]
        )
        queries = []
        for i, (bride_phone, groom_phone, bride_name, groom_name) in enumerate(sample):
            if i % 2 == 0:
                phone = groom_phone if groom_phone and rng.random() < 0.5 else bride_phone
                queries.append(phone[: rng.choice((4, 7, 11))])
            else:
                name = rng.choice((bride_name, groom_name))
                queries.append(name if len(name) <= 3 else name[: rng.choice((3, 4, len(name)))])
        return queries
