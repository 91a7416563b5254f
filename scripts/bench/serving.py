"""One assistant being served: start it, time its cold start, load it, read its numbers, stop it."""

from __future__ import annotations

import asyncio
import math
import secrets
from collections import Counter
from typing import Dict, List, Optional

from scripts.bench import assistants, conversations, processes
from scripts.bench.assistants import Assistant
from scripts.bench.load import first_answer, parse_latencies, run_phase
from scripts.bench.options import ROOT, Options
from scripts.bench.results import AssistantResult
from scripts.bench.stats import LatencySummary, percentile


class Serving:
    """An assistant's running servers and what has been measured on them so far."""

    def __init__(self, options: Options, assistant: Assistant) -> None:
        self.options, self.assistant = options, assistant
        self.port, self.token = processes.free_port(), secrets.token_urlsafe(16)
        self.servers: List[processes.Server] = []
        self.cold_start = math.nan
        self.phases: Dict[str, LatencySummary] = {}
        self.error_kinds: Dict[str, Counter] = {}
        self.cpu_seconds = 0.0
        self.nlu_p50 = math.nan

    @property
    def name(self) -> str:
        return self.assistant.name

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Launch the servers and wait for the first good answer; the cold start in seconds."""
        options, assistant = self.options, self.assistant
        env = processes.environment(options.venv_bin)
        if assistant.action_port:
            self.servers.append(processes.start(f"{self.name} action server",
                                                assistants.action_server_command(options, assistant.action_port),
                                                ROOT, env, options.logs / f"{self.name}-actions.log"))
        self.servers.append(processes.start(f"{self.name} Rasa server",
                                            assistants.rasa_run_command(options, assistant, self.port, self.token),
                                            assistant.cwd, env, options.logs / f"{self.name}-rasa.log"))
        answered = asyncio.run(first_answer(self.url, assistant.scripts[0][0], assistant.check, self.check_alive))
        self.cold_start = answered - self.servers[0].started
        return self.cold_start

    def check_alive(self) -> None:
        """Raise if a server has exited."""
        for server in self.servers:
            server.check_alive()

    def conversations(self, count: int) -> List[List[str]]:
        """``count`` conversations of ``options.turns`` turns from this assistant's scripts."""
        return [conversations.conversation(self.assistant.scripts, index, self.options.turns)
                for index in range(count)]

    def warm_up(self) -> None:
        """Send the warm-up turns (not measured)."""
        count = max(1, math.ceil(self.options.warmup_turns / self.options.turns))
        asyncio.run(run_phase(self.url, self.conversations(count), 1, f"warmup-{secrets.token_hex(3)}",
                              self.assistant.check, self.options.timeout))

    def _cpu(self) -> float:
        return sum(processes.cpu_seconds(server.process.pid) for server in self.servers)

    def load(self, phase: str, level: int, count: int) -> LatencySummary:
        """Run one load phase; its summary (also kept, with the CPU time the servers used)."""
        cpu_before = self._cpu()
        result = asyncio.run(run_phase(self.url, self.conversations(count), level,
                                       f"{phase.replace(' ', '-')}-{secrets.token_hex(3)}", self.assistant.check,
                                       self.options.timeout))
        self.cpu_seconds += self._cpu() - cpu_before
        self.check_alive()
        self.phases[phase], self.error_kinds[phase] = result.summary(), result.errors
        return self.phases[phase]

    def measure_nlu(self) -> float:
        """Median ``POST /model/parse`` latency over this assistant's distinct messages, one at a time."""
        messages = sorted({message for script in self.assistant.scripts for message in script})
        repeats = max(1, math.ceil(self.options.nlu_turns / len(messages)))
        latencies = asyncio.run(parse_latencies(self.url, self.token, messages * repeats, self.options.timeout))
        self.nlu_p50 = percentile(latencies, 50)
        return self.nlu_p50

    def result(self, training_seconds: Optional[float]) -> AssistantResult:
        """Everything measured, with peak memory read now."""
        turns = sum(summary.turns for summary in self.phases.values())
        action = self.servers[0].final_peak() if self.assistant.action_port else None
        return AssistantResult(
            training_seconds=training_seconds, cold_start_seconds=self.cold_start, phases=self.phases,
            rasa_peak_rss=self.servers[-1].final_peak(), action_peak_rss=action, error_kinds=self.error_kinds,
            cpu_ms_per_turn=self.cpu_seconds * 1000 / turns if turns else math.nan, nlu_p50_ms=self.nlu_p50,
        )

    def stop(self) -> None:
        """Stop the servers (Rasa first)."""
        for server in reversed(self.servers):
            server.stop()
