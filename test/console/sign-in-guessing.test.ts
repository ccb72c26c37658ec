// Console sign-in resists guessing: failures are counted before the password is checked, per
// (email, address), per email and per address, the same for unknown emails as for operators.
import { describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS } from "../../app/console/sign-in-limits";
import { request } from "../support/app";
import { createOperator } from "../support/console";

const PASSWORD = "correct horse battery";
const WRONG = "That email and password do not match.";
const LOCKED = /Too many failed attempts[^<]*/;
const PER_PAIR = SIGN_IN_LIMITS.accountAtAddress.failures;
const PER_ACCOUNT = SIGN_IN_LIMITS.account.failures;
const PER_ADDRESS = SIGN_IN_LIMITS.address.failures;

let n = 0;
const newEmail = () => `guess${++n}-${Date.now()}@convot.example`;
// Every test plays its own client addresses (documentation ranges), so tests never share a counter.
let hosts = 0;
const newAddress = () => `198.51.${100 + Math.floor(++hosts / 250)}.${hosts % 250}`;

async function operator() {
  await request("/");
  const { createOrganization } = await import("../../app/apps/apps.server");
  const email = newEmail();
  await createOperator((await createOrganization("Guessing Org")).id, email, PASSWORD);
  return email;
}

type Answer = { outcome: "signed in" | "wrong" | "locked"; message: string };

async function attempt(email: string, password: string, address: string): Promise<Answer> {
  const response = await request("/console/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "x-convot-peer": address },
    body: new URLSearchParams({ email, password, next: "" }),
  });
  if (response.status === 302 && response.headers.get("set-cookie")) return { outcome: "signed in", message: "" };
  const page = await response.text();
  if (page.includes(WRONG)) return { outcome: "wrong", message: WRONG };
  const locked = LOCKED.exec(page);
  if (locked) return { outcome: "locked", message: locked[0] };
  throw new Error(`unexpected answer ${response.status}: ${page.slice(0, 200)}`);
}

const count = (answers: Answer[], outcome: Answer["outcome"]) => answers.filter((a) => a.outcome === outcome).length;

describe("console sign-in against guessing", () => {
  it("counts 40 concurrent wrong guesses before checking them: at most the limit are checked, and the right password fired with them is refused", async () => {
    const email = await operator();
    const address = newAddress();
    const answers = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => attempt(email, `wrong guess ${i}`, address)),
      attempt(email, PASSWORD, address),
    ]);
    const guesses = answers.slice(0, 40);
    expect(count(guesses, "wrong")).toBeLessThanOrEqual(PER_PAIR);
    expect(count(guesses, "wrong") + count(guesses, "locked")).toBe(40);
    expect(answers[40].outcome).toBe("locked");
    expect((await attempt(email, PASSWORD, address)).outcome).toBe("locked");
  }, 60_000);

  it("a flood from one address does not lock the operator out at another", async () => {
    const email = await operator();
    const attacker = newAddress();
    await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(email, `wrong guess ${i}`, attacker)));
    expect((await attempt(email, PASSWORD, attacker)).outcome).toBe("locked");
    expect((await attempt(email, PASSWORD, newAddress())).outcome).toBe("signed in");
  }, 60_000);

  it("throttles one address guessing across many emails, whatever the password", async () => {
    const email = await operator();
    const address = newAddress();
    const answers = await Promise.all(Array.from({ length: PER_ADDRESS }, () => attempt(newEmail(), "some password", address)));
    expect(count(answers, "wrong")).toBe(PER_ADDRESS);
    expect((await attempt(email, PASSWORD, address)).outcome).toBe("locked");
    expect((await attempt(newEmail(), "some password", address)).outcome).toBe("locked");
    expect((await attempt(email, PASSWORD, newAddress())).outcome).toBe("signed in");
  }, 120_000);

  it("answers an unknown email exactly as an operator's: the same message, locked after as many failures, with the same lock message", async () => {
    const known = await operator();
    const unknown = newEmail();
    const answers = async (email: string, last: string) => {
      const address = newAddress();
      const tries: Answer[] = [];
      for (let i = 0; i < PER_PAIR; i++) tries.push(await attempt(email, `wrong guess ${i}`, address));
      tries.push(await attempt(email, last, address));
      return tries;
    };
    const knownAnswers = await answers(known, PASSWORD);
    const unknownAnswers = await answers(unknown, PASSWORD);
    for (const tries of [knownAnswers, unknownAnswers]) {
      expect(tries.slice(0, PER_PAIR).map((a) => a.message)).toEqual(Array(PER_PAIR).fill(WRONG));
      expect(tries[PER_PAIR].outcome).toBe("locked");
    }
    expect(unknownAnswers[PER_PAIR].message).toBe(knownAnswers[PER_PAIR].message);
    // The lock message says when to try again.
    expect(knownAnswers[PER_PAIR].message).toMatch(/try again in \d+ (minutes|hours)/);
  }, 60_000);

  it("locks an account everywhere once failures from many addresses reach the per-account threshold, not before", async () => {
    const email = await operator();
    const addressesToReach = Math.ceil(PER_ACCOUNT / PER_PAIR);
    // Every address stops short of its own lock; together they stop short of the account's.
    const spread = (addresses: number) =>
      Promise.all(
        Array.from({ length: addresses }, newAddress).flatMap((address) =>
          Array.from({ length: PER_PAIR }, (_, i) => attempt(email, `wrong guess ${i}`, address)),
        ),
      );
    const before = await spread(addressesToReach - 1);
    expect(count(before, "wrong")).toBe((addressesToReach - 1) * PER_PAIR);
    expect((await attempt(email, PASSWORD, newAddress())).outcome).toBe("signed in");

    const last = await spread(1);
    expect(count(last, "wrong")).toBe(PER_ACCOUNT - (addressesToReach - 1) * PER_PAIR);
    const elsewhere = await attempt(email, PASSWORD, newAddress());
    expect(elsewhere.outcome).toBe("locked");
    expect(elsewhere.message).toMatch(/try again in \d+ (minutes|hours)/);
  }, 120_000);
});
