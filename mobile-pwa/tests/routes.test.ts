import { describe, expect, it } from "vitest";
import { hrefFor, inviteCodeFrom, inviteCodeFromInput, parseRoute } from "../src/app/routes";
import { sectionOf } from "../src/ui/nav";

const loc = (pathname: string, search = "", hash = "") => ({ pathname, search, hash });

describe("routes", () => {
  it("reads the invite code from /join?code=…", () => {
    expect(inviteCodeFrom(loc("/join", "?code=AB12-cd"))).toBe("AB12-cd");
    expect(inviteCodeFrom(loc("/join/", "?code=x%2By"))).toBe("x+y");
    expect(inviteCodeFrom(loc("/", "?code=nope"))).toBeNull();
    expect(inviteCodeFrom(loc("/join", ""))).toBeNull();
  });

  it("also accepts #/join/CODE", () => {
    expect(inviteCodeFrom(loc("/", "", "#/join/abc"))).toBe("abc");
  });

  it("takes a pasted link or a bare code in the join form", () => {
    expect(inviteCodeFromInput("  k3y  ")).toBe("k3y");
    expect(inviteCodeFromInput("https://coagent.example/join?code=k3y")).toBe("k3y");
    expect(inviteCodeFromInput("/join?code=k3y")).toBe("k3y");
    expect(inviteCodeFromInput("")).toBeNull();
  });

  it("maps hashes to screens and back", () => {
    expect(parseRoute("")).toEqual({ name: "talk" });
    expect(parseRoute("#/")).toEqual({ name: "talk" });
    expect(parseRoute("#/asks")).toEqual({ name: "asks" });
    expect(parseRoute("#/asks/a%2Fb")).toEqual({ name: "ask", id: "a/b" });
    expect(hrefFor({ name: "ask", id: "a/b" })).toBe("#/asks/a%2Fb");
  });

  it("knows the network screens: inbox, one request, profile", () => {
    expect(parseRoute("#/inbox")).toEqual({ name: "inbox" });
    expect(parseRoute("#/requests/r%201")).toEqual({ name: "request", id: "r 1" });
    expect(parseRoute("#/requests")).toEqual({ name: "inbox" });
    expect(parseRoute("#/profile")).toEqual({ name: "profile" });
    expect(parseRoute("#/asks/a1")).toEqual({ name: "ask", id: "a1" });
    expect(parseRoute("#/nowhere")).toEqual({ name: "talk" });
    expect(parseRoute("#/requests/%E0%A4")).toEqual({ name: "request", id: "%E0%A4" });
    for (const r of [{ name: "inbox" }, { name: "request", id: "x/y" }, { name: "profile" }, { name: "ask", id: "q" }] as const) {
      expect(parseRoute(hrefFor(r))).toEqual(r);
    }
  });

  it("puts each screen under its bottom-nav entry", () => {
    expect(sectionOf(parseRoute("#/requests/r1"))).toBe("inbox");
    expect(sectionOf(parseRoute("#/asks/a1"))).toBe("asks");
    expect(sectionOf(parseRoute("#/profile"))).toBe("profile");
    expect(sectionOf(parseRoute("#/"))).toBe("talk");
  });
});
