"""Several real ``khabar run --webhook`` processes behind a real nginx, sharing one PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.harness import free_port

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream khabar {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location /telegram {{
            proxy_pass http://khabar;
            proxy_set_header X-Telegram-Bot-Api-Secret-Token $http_x_telegram_bot_api_secret_token;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    """The nginx executable, if installed (``.ci/run`` installs Debian's nginx-light)."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@dataclass
class Instance:
    """One khabar process."""

    name: str
    port: int
    proc: asyncio.subprocess.Process
    log: Path


@dataclass
class Cluster:
    """nginx on ``port`` in front of ``instances``; everything lives in ``workdir``."""

    workdir: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    instances: list[Instance] = field(default_factory=list)
    nginx: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, count: int) -> None:
        """Start nginx and ``count`` instances; wait until each has set the webhook."""
        ports = [free_port() for _ in range(count)]
        prefix = self.workdir / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports)
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(prefix=prefix, servers=servers, port=self.port), encoding="utf-8")
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed")
        self.nginx = await asyncio.create_subprocess_exec(
            binary, "-p", str(prefix), "-c", str(conf), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
        )
        for i, port in enumerate(ports):
            await self.start_instance(f"khabar-{i + 1}", port)

    async def start_instance(self, name: str, port: int) -> Instance:
        """Start one ``khabar run --webhook`` process listening on ``port``."""
        log = self.workdir / f"{name}.log"
        env = {
            **self.env,
            "KHABAR_INSTANCE_NAME": name,
            "KHABAR_WEBHOOK_URL": self.url,
            "KHABAR_WEBHOOK_PORT": str(port),
            "KHABAR_WEBHOOK_LISTEN": "127.0.0.1",
            "KHABAR_WEBHOOK_PATH": "telegram",
            "PYTHONPATH": str(Path(__file__).parents[2]),
        }
        handle = log.open("wb")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--webhook", cwd=self.workdir, env=env,
            stdout=handle, stderr=asyncio.subprocess.STDOUT,
        )
        handle.close()
        instance = Instance(name, port, proc, log)
        self.instances.append(instance)
        await self._wait_listening(instance)
        return instance

    async def _wait_listening(self, instance: Instance, timeout: float = 30.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if instance.proc.returncode is not None:
                raise RuntimeError(f"{instance.name} exited: {instance.log.read_text(errors='replace')[-2000:]}")
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", instance.port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            await writer.wait_closed()
            return
        raise RuntimeError(f"{instance.name} did not listen within {timeout}s")

    def kill(self, instance: Instance) -> None:
        """SIGKILL: the process dies without any clean-up (its leases and claims just lapse)."""
        instance.proc.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        """Stop every process (SIGTERM, then SIGKILL)."""
        for instance in self.instances:
            if instance.proc.returncode is None:
                instance.proc.terminate()
        for instance in self.instances:
            try:
                await asyncio.wait_for(instance.proc.wait(), 15)
            except TimeoutError:
                instance.proc.kill()
                await instance.proc.wait()
        if self.nginx is not None and self.nginx.returncode is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                await asyncio.wait_for(self.nginx.wait(), 10)
            except TimeoutError:
                self.nginx.kill()
                await self.nginx.wait()


def base_env() -> dict[str, str]:
    """The parent's environment without KHABAR_* settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
