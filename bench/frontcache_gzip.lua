-- wrk: ask as a browser does, accepting gzip (bench/frontcache_bench.py).
wrk.headers["Accept-Encoding"] = "gzip"
