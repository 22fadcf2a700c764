// The URL scheme. Invite links are real paths, `/join?code=CODE`, as `coagent invite` prints
// them (the server answers every non-API path with the app). Screens inside the app use the
// hash, so moving between them never asks the server for anything:
//   #/            talk (home)
//   #/asks        my asks
//   #/asks/ID     one of my asks (a draft opens in the card editor)
//   #/inbox       requests sent to me
//   #/requests/ID one request, to answer, pass or refer (push notifications link here)
//   #/profile     my expertise, availability and contact details
//   #/console/…   the concierge console (its own pages: console/routes.ts), concierge only
// `#/join/CODE` is accepted as well, for servers that cannot route /join to the app.

export type Route =
  | { name: "talk" }
  | { name: "asks" }
  | { name: "ask"; id: string }
  | { name: "inbox" }
  | { name: "request"; id: string }
  | { name: "profile" }
  /** `path` and `query` are the console's own (after `#/console/`, after `?`). */
  | { name: "console"; path: string; query: string };

export function inviteCodeFrom(loc: { pathname: string; search: string; hash: string }): string | null {
  if (loc.pathname.replace(/\/+$/, "") === "/join") {
    const code = new URLSearchParams(loc.search).get("code");
    if (code) return code.trim();
  }
  const m = /^#\/join\/([^/?#]+)/.exec(loc.hash);
  return m?.[1] ? decodeURIComponent(m[1]).trim() : null;
}

/** What the join form accepts: a bare code or a whole pasted link. */
export function inviteCodeFromInput(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith("/")) {
    try {
      const url = new URL(text, "http://invite.local");
      return inviteCodeFrom(url) ?? url.searchParams.get("code");
    } catch {
      return null;
    }
  }
  return text;
}

export function parseRoute(hash: string): Route {
  const rest = hash.replace(/^#\/?/, "");
  const mark = rest.indexOf("?");
  const [path, query] = mark < 0 ? [rest, ""] : [rest.slice(0, mark), rest.slice(mark + 1)];
  const parts = path.split("/").filter(Boolean);
  const [first, id] = parts;
  if (first === "console") return { name: "console", path: parts.slice(1).join("/"), query };
  if (first === "asks") return id ? { name: "ask", id: decode(id) } : { name: "asks" };
  if (first === "requests" && id) return { name: "request", id: decode(id) };
  if (first === "requests" || first === "inbox") return { name: "inbox" };
  if (first === "profile") return { name: "profile" };
  return { name: "talk" };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case "talk":
      return "#/";
    case "asks":
      return "#/asks";
    case "ask":
      return `#/asks/${encodeURIComponent(route.id)}`;
    case "inbox":
      return "#/inbox";
    case "request":
      return `#/requests/${encodeURIComponent(route.id)}`;
    case "profile":
      return "#/profile";
    case "console":
      return `#/console${route.path ? `/${route.path}` : ""}${route.query ? `?${route.query}` : ""}`;
  }
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a stray "%" in a hand-typed address
  }
}
