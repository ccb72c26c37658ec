// The shape rules for what clients send, called directly (app/contacts/validation.ts): every
// problem names its field, a bad entry never reaches the patch, and what passes is kept as sent.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ErrorDetail } from "../../app/errors";
import {
  checkContactFields,
  checkCustomData,
  decodeCustomValue,
  encodeCustomValue,
  LIMITS,
  normalizeEmail,
  parseIsoTimestamp,
  type CustomValue,
} from "../../app/contacts/validation";

const check = <T>(run: (problems: ErrorDetail[]) => T) => {
  const problems: ErrorDetail[] = [];
  return { value: run(problems), problems };
};

const goodKey = fc.stringMatching(/^[a-z][a-z0-9_-]{0,20}$/);
const goodValue: fc.Arbitrary<CustomValue | null> = fc.oneof(
  fc.string({ maxLength: 50 }).filter((s) => !s.includes("\u0000")),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

describe("custom data", () => {
  it("keeps every well-formed entry exactly as sent, with no problem", () => {
    fc.assert(
      fc.property(fc.dictionary(goodKey, goodValue), (input) => {
        const { value, problems } = check((p) => checkCustomData(input, p));
        expect(problems).toEqual([]);
        expect(value).toEqual(input);
      }),
    );
  });

  it("refuses each bad entry by name and keeps the good ones beside it", () => {
    const { value, problems } = check((p) =>
      checkCustomData(
        {
          plan: "pro",
          Plan: "x",
          "1st": 1,
          [`k${"x".repeat(LIMITS.customKeyLength)}`]: 1,
          nested: { a: 1 },
          list: [1],
          nul: "a\u0000b",
          long: "x".repeat(LIMITS.customStringLength + 1),
          wide: "é".repeat(LIMITS.customStringBytes / 2 + 1),
          inf: Number.POSITIVE_INFINITY,
          gone: null,
        },
        p,
      ),
    );
    expect(value).toEqual({ plan: "pro", gone: null });
    expect(problems.map((p) => p.field).sort()).toEqual(
      ["Plan", "1st", `k${"x".repeat(LIMITS.customKeyLength)}`, "nested", "list", "nul", "long", "wide", "inf"].map((k) => `custom_data.${k}`).sort(),
    );
    expect(problems.find((p) => p.field === "custom_data.nested")?.message).toMatch(/got an object/);
    expect(problems.find((p) => p.field === "custom_data.list")?.message).toMatch(/got an array/);
  });

  it("refuses anything but an object, naming the field", () => {
    for (const input of [null, [], "plan=pro", 3]) {
      expect(check((p) => checkCustomData(input, p)).problems).toEqual([{ field: "custom_data", message: expect.stringMatching(/object/) }]);
    }
  });

  it("stores each value so that reading it back gives the same value and type", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()), (v) => {
        const { value, type } = encodeCustomValue(v);
        expect(Object.is(decodeCustomValue(value, type), v) || (v === 0 && decodeCustomValue(value, type) === 0)).toBe(true);
      }),
    );
  });
});

describe("contact fields", () => {
  it("trims, turns blank into null (a cleared field), and reads a numeric external_id as its digits", () => {
    const { value, problems } = check((p) => checkContactFields({ name: "  Ada  ", company: "   ", external_id: 42, email: " Ada@Example.COM " }, p));
    expect(problems).toEqual([]);
    expect(value).toEqual({ name: "Ada", company: null, externalId: "42", email: "ada@example.com" });
  });

  it("names each field it refuses", () => {
    const { problems } = check((p) =>
      checkContactFields({ email: "not-an-email", avatar_url: "javascript:alert(1)", phone: 5, name: "x".repeat(LIMITS.fieldLength + 1) }, p),
    );
    expect(problems.map((p) => p.field).sort()).toEqual(["avatar_url", "email", "name", "phone"]);
  });

  it("folds only ASCII capitals in an email: the Kelvin sign is not a K (a signed id cannot land on someone else)", () => {
    expect(normalizeEmail("\u212Aate@example.com")).not.toBe("kate@example.com");
    fc.assert(
      fc.property(fc.string(), (email) => {
        const once = normalizeEmail(email);
        expect(normalizeEmail(once)).toBe(once);
        expect(once).not.toMatch(/[A-Z]/);
        expect(once.length).toBe(email.trim().length);
      }),
    );
  });
});

describe("timestamps", () => {
  it("reads back any instant in years 1–9999 written as ISO 8601", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }), (date) => {
        expect(parseIsoTimestamp(date.toISOString())?.getTime()).toBe(date.getTime());
      }),
    );
  });

  it("refuses dates that do not exist instead of rolling them over", () => {
    for (const input of ["2026-02-30", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T10:00:00", "yesterday"]) {
      expect(parseIsoTimestamp(input), input).toBeNull();
    }
    expect(parseIsoTimestamp("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
  });
});
