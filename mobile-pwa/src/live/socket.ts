// The real WebSocket behind the session's SocketLike. Authentication rides on the session cookie
// the server set at join time: browsers cannot add an Authorization header to a WebSocket.

import type { OpenSocket } from "./session";

export const openBrowserSocket: OpenSocket = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  let closed = false;
  // `error` is always followed by `close` in browsers, but not in every embedded webview;
  // whichever comes first counts, once.
  const closeOnce = () => {
    if (closed) return;
    closed = true;
    handlers.onClose();
  };
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (event: MessageEvent<string | ArrayBuffer>) => handlers.onMessage(event.data);
  ws.onclose = closeOnce;
  ws.onerror = closeOnce;
  return {
    send(data) {
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    },
    close() {
      closed = true; // the session already knows
      ws.close();
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
};
