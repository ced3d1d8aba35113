"""``cmgtui cost``: the CMG's monthly cost from list prices and the documented usage figures.

Exit codes: 0 the estimate was printed (from live prices, or from the last copy read, whose
date is shown); 2 unusable input (unknown profile, no region chosen, no clients to size the
traffic by) or no prices at all (never read, and the API cannot be reached now).
JSON: ``{"version": 1, "profile", "region", "currency", "prices": {"origin", "read_at"},
"usage": {"clients", "mb_per_client", "content_stored_gb", "content_downloads_gb"},
"lines": [{"item", "quantity", "monthly", "source"}], "total", "notes",
"recommended_outbound_alert_gb"}``; ``monthly`` is null for an item without a meter cmgtui reads.
"""

from __future__ import annotations

import argparse
import json
import sys

from cmgtui.commands.common import CommandError, add_profile_option, load_named_profile, printable
from cmgtui.domain.azure.cost import DEFAULT_CURRENCY

JSON_VERSION = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``cost``."""
    parser = subparsers.add_parser(
        "cost", help="estimate the CMG's monthly Azure cost (list prices, cmg/cost.md's usage figures)",
        description="Estimate what the planned CMG costs a month: compute for the VM size and instances, "
        "outbound data for the internet clients (100 MB each a month by default, 300 for aggressive client "
        "settings), content storage, with list prices from the Azure Retail Prices API for the profile's "
        "region, cached for use offline.")
    add_profile_option(parser)
    parser.add_argument("--sandbox", action="store_true", help="read the sandbox's price list (rehearsal)")
    parser.add_argument("--offline", action="store_true", help="use the prices read last time; no network")
    parser.add_argument("--currency", default=DEFAULT_CURRENCY,
                        help=f"ISO currency code of the prices (default {DEFAULT_CURRENCY})")
    parser.add_argument("--clients", type=int, help="internet clients (default: the profile's peak concurrent clients)")
    parser.add_argument("--mb-per-client", type=int,
                        help="outbound MB per client a month (cost.md: 100 default client settings, 300 aggressive; "
                        "default: Part 4's Cost assumptions)")
    parser.add_argument("--content-gb", type=float, help="content stored on the CMG, GB (default: Part 4's)")
    parser.add_argument("--downloads-gb", type=float,
                        help="content downloaded from the CMG a month, GB (default: Part 4's)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``cmgtui cost``."""
    try:
        return _run(args)
    except CommandError as exc:
        print(f"cmgtui: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from cmgtui.domain.azure.cost import planned_cost, profile_usage, vm_sku
    from cmgtui.services.prices import read_prices

    profile = load_named_profile(args)
    gateway = profile.gateway
    if not profile.region:
        raise CommandError(f"Profile {profile.name!r} has no region yet; choose one in the checklist first.")
    if args.clients is not None and args.clients < 0:
        raise CommandError("--clients must be 0 or more.")
    usage = profile_usage(profile, clients=args.clients, mb_per_client=args.mb_per_client,
                          content_stored_gb=args.content_gb, content_downloads_gb=args.downloads_gb)
    if usage is None:
        raise CommandError("How many internet clients will use the CMG? Set the peak concurrent clients in "
                           "Part 4, or pass --clients N.")
    if not 0 < usage.mb_per_client <= 10_000 or usage.content_stored_gb < 0 or usage.content_downloads_gb < 0:
        raise CommandError("--mb-per-client must be 1 to 10000 MB, and content sizes 0 or more GB.")
    currency = args.currency.strip().upper()
    if not (len(currency) == 3 and currency.isalpha()):
        raise CommandError(f"{currency!r} is not an ISO currency code such as USD or EUR.")
    sku = vm_sku(gateway.vm_size, profile.site.site_version)
    if args.sandbox:
        from cmgtui.sandbox.server import SandboxServer

        with SandboxServer.from_environment() as server:
            read = read_prices(profile.region, currency, [sku], offline=args.offline,
                               endpoint=(server.url, server.ca_path))
    else:
        read = read_prices(profile.region, currency, [sku], offline=args.offline)
    prices = read.sheet
    if prices is None:
        raise CommandError(read.problem)
    if read.problem:
        print(f"cmgtui: note: {read.problem}; using the prices read {prices.read_at:%Y-%m-%d}.", file=sys.stderr)
    planned = planned_cost(profile, prices, usage)
    assert planned is not None and planned.estimate is not None  # a usage and prices were given
    result, threshold = planned.estimate, planned.alert_gb
    if args.format == "json":
        print(json.dumps({
            "version": JSON_VERSION, "profile": profile.name, "region": profile.region, "currency": result.currency,
            "prices": {"origin": prices.origin, "read_at": prices.read_at.isoformat()},
            "usage": {"clients": usage.clients, "mb_per_client": usage.mb_per_client,
                      "content_stored_gb": usage.content_stored_gb, "content_downloads_gb": usage.content_downloads_gb},
            "lines": [{"item": line.item, "quantity": line.quantity, "monthly": line.monthly, "source": line.source}
                      for line in result.lines],
            "total": result.total, "notes": result.notes, "recommended_outbound_alert_gb": threshold,
        }, indent=2))
        return 0
    print(f"Monthly cost of the CMG for profile {printable(profile.name)} in {printable(profile.region)} "
          f"({result.currency}; prices: {prices.origin}, read {prices.read_at:%Y-%m-%d %H:%M} UTC)")
    for line in result.lines:
        amount = f"{line.monthly:>12,.2f}" if line.monthly is not None else f"{'not priced':>12}"
        print(f"  {amount}  {line.item}: {line.quantity}")
        print(f"                Source: {line.source}")
    print(f"  {result.total:>12,.2f}  Total of the priced lines")
    for note in result.notes:
        print(f"  Note: {note}")
    print(f"  Suggested 14-day outbound data alert: {threshold:,} GB (the aggressive client figure over 14 days).")
    return 0
