"""``fulfilstation serve-webhooks --listen HOST:PORT``: receive Shopify and WooCommerce
webhooks (issue #12, for sites that can expose a web address to their shop).

Signs in once at the start like every changing command — an unattended service uses the job
secret an owner issued for its user on this machine (``users issue-secret``), else ``--pin``
or ``$FULFIL_PIN``; the user must be a manager or owner (``IMPORT_ORDERS``), checked again
on every delivery. Then it serves, until stopped (Ctrl+C, SIGTERM), ``POST
/webhooks/shopify/CHANNEL`` and ``POST /webhooks/woocommerce/CHANNEL``: each verified
delivery goes to ``app.webhooks.receive`` (see ``integrations.webhooks.server`` for what
each request is answered). Put it behind an HTTPS reverse proxy: shops send webhooks only
to https:// addresses. Exit status: 1 the address cannot be listened on or sign-in refused;
2 usage.
"""

from __future__ import annotations

import argparse
import logging

from fulfilstation.cli import sign_in
from fulfilstation.cli.context import CliContext, CommandError
from fulfilstation.domain.roles import Permission
from fulfilstation.integrations.webhooks import Delivery, WebhookServer, parse_listen
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.webhooks import Deliver

log = logging.getLogger(__name__)


class AppReceiver:
    """The server's ``WebhookReceiver``: ``app.webhooks`` as the signed-in ``actor``;
    ``deliver`` replaces the intake door (tests). Thread-safe (holds no state of its own)."""

    def __init__(self, app: AppServices, actor: Actor, deliver: Deliver | None = None) -> None:
        self._app = app
        self._actor = actor
        self._deliver = deliver

    def secret(self, source: str, channel: str) -> str | None:
        return self._app.webhooks.secret(source, channel)

    def receive(self, delivery: Delivery) -> bool:
        return self._app.webhooks.receive(self._actor, delivery, deliver=self._deliver)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("serve-webhooks", parents=[common], help="receive Shopify and WooCommerce order "
                            "webhooks (signatures verified; repeats taken once) until stopped")
    parser.add_argument("--listen", required=True, metavar="HOST:PORT",
                        help="where to listen, e.g. 127.0.0.1:8080 behind an HTTPS reverse proxy")
    parser.add_argument("--max-body", type=int, default=2 * 1024 * 1024, metavar="BYTES",
                        help="the largest webhook body taken (default 2 MB; larger ones get 413)")
    sign_in.add_arguments(parser, "a manager or an owner; a service uses its job secret")
    parser.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace, context: CliContext) -> int:
    try:
        host, port = parse_listen(args.listen)
    except ValueError as error:
        raise CommandError(str(error)) from None
    if args.max_body < 1:
        raise CommandError("--max-body must be a positive number of bytes")
    app = context.app()
    actor = sign_in.sign_in(args, context)
    if not actor.may(Permission.IMPORT_ORDERS):  # every delivery would be refused: say so now
        raise CommandError(f"{actor.username} is a {actor.role.value}: only a manager or an owner can take "
                           "webhooks' orders; nothing was started.", code=1)
    try:
        server = WebhookServer(host, port, AppReceiver(app, actor), max_body=args.max_body)
    except OSError as error:
        raise CommandError(f"cannot listen on {args.listen}: {error.strerror or error}", code=1) from None
    print(f"Listening for webhooks on {server.url}/webhooks/shopify/CHANNEL and "
          f"{server.url}/webhooks/woocommerce/CHANNEL as {actor.username} (Ctrl+C stops).", flush=True)
    try:
        server.serve_forever()
    finally:
        server.close()
    return 0
