"""Django's Redis cache, keeping its Redis client instead of building one per call.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every cache call; the
client fills its table of reply parsers as it is made (~700 Python calls, a fifth of what a
poll answered 304 Not Modified costs: docs/performance.md, "Stop 22"). A `redis.Redis` is
only its connection pool and that table, and is safe to share between threads, so one is
kept per pool. Sessions are read from this cache on every signed-in request.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClient
