"""``make bench``: our assistant against the stock ``rasa init`` assistant, same machine, same run.

Run as ``python -m scripts.bench`` (``--help`` for the options). Modules:
:mod:`.stats` (percentiles), :mod:`.conversations` (the messages sent),
:mod:`.projects` (the stock project, timed training), :mod:`.processes`
(server processes, resident memory), :mod:`.load` (the REST load generator),
:mod:`.targets` (the targets from issue #7), :mod:`.report` (docs/benchmarks.md),
:mod:`.runner` (the whole run).
"""
