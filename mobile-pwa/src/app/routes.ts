// The URL scheme. Invite links are real paths, `/join?code=CODE`, as `coagent invite` prints
// them (the server answers every non-API path with the app). Screens inside the app use the
// hash, so moving between them never asks the server for anything:
//   #/            talk (home)
//   #/asks        my asks
//   #/asks/ID     one ask
// `#/join/CODE` is accepted as well, for servers that cannot route /join to the app.

export type Route = { name: "talk" } | { name: "asks" } | { name: "ask"; id: string };

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
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  if (parts[0] === "asks" && parts[1]) return { name: "ask", id: decodeURIComponent(parts[1]) };
  if (parts[0] === "asks") return { name: "asks" };
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
  }
}
