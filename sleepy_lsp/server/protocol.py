"""The JSON-RPC side of the server, hardened: every request gets an answer, whatever the client sends.

pygls drops a request whose params do not fit the method's type (or that lacks
`"jsonrpc": "2.0"`) with a log line and no response, so the client waits
forever; it lets a second `initialize` replace the workspace under the
open documents; and its `shutdown` fails ("dictionary changed size during
iteration") when a request to the client is still unanswered (a progress token
being created), which makes Neovim kill the server before it has written what
is queued for the fix memory. Here the first gets its JSON-RPC error, the
second is refused, and the third cancels a copy of the pending requests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refused:
    """A request that could not be read: answered with its error instead of being handled."""

    id: Any
    error: JsonRpcException


class SleepyProtocol(LanguageServerProtocol):
    """LanguageServerProtocol that answers malformed requests and refuses a second initialize."""

    _initialized_once = False

    def structure_message(self, data: dict[str, Any]) -> Any:
        if not isinstance(data.get("method"), str) or "id" not in data:
            return super().structure_message(data)  # a response, a notification, or an inner object
        if data.get("jsonrpc") != "2.0":
            return Refused(data["id"], JsonRpcInvalidRequest('a request needs "jsonrpc": "2.0"'))
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            detail = JsonRpcInvalidParams(f"the params of {data['method']} do not fit its type")
            log.warning("refused request %r (%s): %s", data.get("id"), data["method"], exc)
            return Refused(data["id"], detail)

    def handle_message(self, message: Any) -> None:
        if isinstance(message, Refused):
            if isinstance(message.id, (int, str)):
                self._send_response(message.id, error=message.error.to_response_error())
            return
        if not hasattr(message, "jsonrpc"):
            log.warning("ignored a message that is not JSON-RPC 2.0: %.200r", message)
            return
        super().handle_message(message)

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        if self._initialized_once:
            raise JsonRpcInvalidRequest("the server is already initialized: initialize is sent once per session")
        self._initialized_once = True
        return (yield from super().lsp_initialize(params))

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args):
        if (user_handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield user_handler, args, None
        current_id = self.msg_id  # not this request's own future
        for msg_id, future in list(self._request_futures.items()):  # cancelling one removes it from the dict
            if msg_id != current_id and not future.done():
                future.cancel()
        self._shutdown = True
        return None
