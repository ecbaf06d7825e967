"""gunicorn's settings for every way the web process is started here.

gunicorn reads ``gunicorn.conf.py`` from its working directory, so the container (``docker-compose.yml``),
the topology tests (``tests/topology/harness.py``) and the API benchmark (``benchmarks/bench_api.py``) all
run with these; their command lines add only the bind address and the number of workers.

``timeout``: gunicorn's default of 30 seconds kills a sync worker that is still answering, and a streamed CSV
export of a large filtered result (the API's ``format=csv``, every row at constant memory) can take longer
than that: measured in ``docs/benchmarks.md``, one indicator's ~77,000 values of a 1,000,000-value table
were cut off after 31 s on a loaded machine. Five minutes covers the largest export a municipality has
(all values of the programme) with room to spare; a request that is truly stuck is still ended.
"""
timeout = 300
graceful_timeout = 30
