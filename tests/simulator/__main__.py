"""Run simulated phones from the command line until Ctrl-C."""

import argparse
import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
import signal
from typing import Any

from .action_url import templates_for
from .models import MODELS
from .server import PhoneSimulator


@dataclass(slots=True)
class PhoneSpec:
    """One phone asked for on the command line."""

    model: str
    port: int = 0


class _PhoneOption(argparse.Action):
    """Collect --model/--port in command-line order: a --port belongs to the --model before it."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        """Start a new phone for --model, or set the last phone's port."""
        phones: list[PhoneSpec] = getattr(namespace, "phones", None) or []
        if self.dest == "model":
            phones.append(PhoneSpec(str(values)))
        elif not phones or phones[-1].port:
            parser.error("each --port must follow its own --model")
        else:
            phones[-1].port = int(str(values))
        namespace.phones = phones


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the phones (--model [--port] pairs) and the shared options."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.simulator",
        description="Simulate Grandstream phones speaking the HTTP CTI API.",
    )
    parser.add_argument(
        "--model",
        action=_PhoneOption,
        choices=sorted(MODELS),
        help="model to simulate; repeat for several phones",
    )
    parser.add_argument(
        "--port",
        action=_PhoneOption,
        type=int,
        help="port of the phone named by the --model before it (default: a free port)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--passcode", default="admin", help="CTI passcode of every phone"
    )
    parser.add_argument(
        "--answer-delay",
        type=float,
        default=0.5,
        help="seconds until the far end answers an outgoing call",
    )
    parser.add_argument(
        "--action-url",
        metavar="URL",
        help=(
            "call this URL on every Action URL event, e.g. the Home Assistant "
            "webhook URL the integration's options show (without the query)"
        ),
    )
    parser.add_argument(
        "--control",
        action="store_true",
        help="answer the /simulator/ control paths (ring, answer, hang up, push)",
    )
    args = parser.parse_args(argv)
    if not getattr(args, "phones", None):
        parser.error("at least one --model is required")
    return args


async def run(args: argparse.Namespace) -> None:
    """Start the phones, print their URLs, and stop them on SIGINT/SIGTERM."""
    phones = [
        PhoneSimulator(
            spec.model,
            passcode=args.passcode,
            host=args.host,
            port=spec.port,
            answer_delay=args.answer_delay,
        )
        for spec in args.phones
    ]
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    for phone in phones:
        phone.control = args.control
    if args.action_url:
        for phone in phones:
            phone.action_urls = templates_for(args.action_url)
    try:
        for phone in phones:
            await phone.start()
            # Printing the URLs is what the CLI is for.
            print(f"{phone.model} {phone.url} passcode={phone.passcode}", flush=True)  # noqa: T201
        await stopping.wait()
    finally:
        for phone in phones:
            await phone.stop()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI."""
    asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    main()
