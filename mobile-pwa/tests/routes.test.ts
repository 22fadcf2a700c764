import { describe, expect, it } from "vitest";
import { hrefFor, inviteCodeFrom, inviteCodeFromInput, parseRoute } from "../src/app/routes";

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
});
