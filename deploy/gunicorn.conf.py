"""gunicorn settings for nghedan: `gunicorn -c deploy/gunicorn.conf.py "nghedan:create_app()"`."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:" + os.environ.get("PORT", "5000"))
# Webhooks are short; two workers per core, at least two, is plenty for a commune office.
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count() * 2)))
worker_class = "sync"
# Providers time out around 15 s and retry; answer or fail well before that.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 20))
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# No query strings in the access log: a status URL may carry a tracking code.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
