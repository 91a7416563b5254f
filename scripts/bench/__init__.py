"""``make bench``: our assistant against the stock ``rasa init`` assistant, same machine, same run.

Run as ``python -m scripts.bench`` (``--help`` for the options). Modules:
:mod:`.options` (what to run), :mod:`.conversations` (the messages sent),
:mod:`.checks` (what counts as a good answer), :mod:`.assistants` (how each is served),
:mod:`.projects` (the stock project, timed training), :mod:`.processes` (server
processes, resident memory, CPU time), :mod:`.load` (the REST load generator),
:mod:`.stats` (percentiles), :mod:`.results`, :mod:`.targets` (issue #7's targets),
:mod:`.context` and :mod:`.report` (docs/benchmarks.md), :mod:`.runner` (the whole run).
``python -m scripts.bench review`` is the staff review app's benchmark: :mod:`.review`,
:mod:`.review_plans` (EXPLAIN), :mod:`.review_report` (its section of docs/benchmarks.md).
"""
