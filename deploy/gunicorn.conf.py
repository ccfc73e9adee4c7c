"""gunicorn settings from the environment (gunicorn -c deploy/gunicorn.conf.py studio.wsgi).

GUNICORN_BIND     where to listen (127.0.0.1:8000; nginx or the balancer in front)
WEB_CONCURRENCY   worker processes (2 per CPU core is a fair start)
GUNICORN_THREADS  threads per worker (4)
GUNICORN_TIMEOUT  seconds before a stuck request's worker is replaced (60; PDFs take a few)
GUNICORN_MAX_REQUESTS  requests a worker serves before it is replaced (2000)
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Replace workers now and then, so a slow leak never grows.
# Workers are replaced every ~2,000 requests (a guard against slow leaks). The app is
# loaded once in the master and forked, so a new worker starts with Django imported
# instead of spending a second or two of CPU importing it while its partner serves alone
# (at chain load a worker is replaced every few minutes).
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The proxy in front sets X-Forwarded-*; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({correlation-id}o)s'


def pre_fork(server, worker):
    """Before each worker is forked: what the master loaded (Django, the apps, the URLs,
    some 150,000 objects) is moved out of the garbage collector's reach (`gc.freeze`), as
    Python's documentation advises for a server that forks. A worker's full collections
    then look only at what it made itself: 0.2 ms of every request went to walking the
    master's objects again (docs/performance.md, "Stop 25"), and the pages they sit on stay
    shared with the master instead of being copied into each worker."""
    gc.collect()
    gc.freeze()
