// A scripted stand-in for the live WebSocket and the server behind it: tests play the server's
// part by hand and read what the client sent.

import type { OpenSocket, SocketHandlers, SocketLike } from "../src/live/session";

export class FakeConnection implements SocketLike {
  readonly sent: (string | Uint8Array)[] = [];
  closedByClient = false;
  gone = false;
  bufferedAmount = 0;

  constructor(
    readonly url: string,
    private readonly handlers: SocketHandlers,
  ) {}

  // What the client does
  send(data: string | Uint8Array): void {
    if (this.gone || this.closedByClient) throw new Error("send on a closed socket");
    this.sent.push(typeof data === "string" ? data : data.slice());
  }
  close(): void {
    this.closedByClient = true;
  }

  // What the server (the test) does
  open(): void {
    this.handlers.onOpen();
  }
  reply(message: object): void {
    this.handlers.onMessage(JSON.stringify(message));
  }
  /** The connection dies (network gone, server restarted). */
  drop(): void {
    this.gone = true;
    this.handlers.onClose();
  }

  /** JSON messages the client sent, in order. */
  get messages(): Record<string, unknown>[] {
    return this.sent.filter((m): m is string => typeof m === "string").map((m) => JSON.parse(m) as Record<string, unknown>);
  }
  /** Binary frames the client sent, in order. */
  get frames(): Uint8Array[] {
    return this.sent.filter((m): m is Uint8Array => typeof m !== "string");
  }
  /** All binary bytes, concatenated. */
  get audio(): Uint8Array {
    return concat(this.frames);
  }
  /** Message kinds in send order: "start", "bin", "stop". */
  get kinds(): string[] {
    return this.sent.map((m) => (typeof m === "string" ? String((JSON.parse(m) as { type: string }).type) : "bin"));
  }
}

export class FakeServer {
  readonly connections: FakeConnection[] = [];
  readonly openSocket: OpenSocket = (url, handlers) => {
    const conn = new FakeConnection(url, handlers);
    this.connections.push(conn);
    return conn;
  };
  get last(): FakeConnection {
    const conn = this.connections.at(-1);
    if (!conn) throw new Error("no connection was opened");
    return conn;
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A 100 ms frame (3200 bytes) whose bytes encode its number, so any loss or repeat shows. */
export function frame(n: number, bytes = 3200): Uint8Array {
  return Uint8Array.from({ length: bytes }, (_, i) => (n * 31 + i * 7) & 0xff);
}
