// The custom-data merge rules, called directly (planCustomData in app/contacts/custom-data.ts):
// a trusted write sets what it sends and null deletes; an untrusted write only fills keys that
// are absent; a replace leaves exactly what was sent; the key limits refuse what would grow past
// them. The HTTP specs (identify, contacts API) show the same rules through the routes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEmptyPlan, planCustomData, type CustomDataPlan, type MergeMode } from "../../app/contacts/custom-data";
import { ConvotError } from "../../app/errors";
import { LIMITS, type CustomDataPatch, type CustomValue } from "../../app/contacts/validation";

type Stored = Record<string, CustomValue>;

/** What the stored object becomes once a plan is written. */
function apply(stored: Stored, plan: CustomDataPlan): Stored {
  const next = { ...stored };
  for (const key of plan.remove) delete next[key];
  return Object.assign(next, plan.set);
}

const key = fc.constantFrom("plan", "seats", "role", "active", "mrr", "region");
const value: fc.Arbitrary<CustomValue> = fc.oneof(fc.constantFrom("free", "pro", "admin", ""), fc.integer({ min: -3, max: 3 }), fc.boolean());
const stored: fc.Arbitrary<Stored> = fc.dictionary(key, value, { maxKeys: 6 });
const patch: fc.Arbitrary<CustomDataPatch> = fc.dictionary(key, fc.option(value, { nil: null }), { maxKeys: 6 });
const mode = fc.constantFrom<MergeMode>("trusted", "untrusted", "replace");

/** `count` distinct keys, `prefix`-named: enough to reach a limit. */
const keys = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const filled = (prefix: string, count: number): Stored => Object.fromEntries(keys(prefix, count).map((k) => [k, 1]));

describe("a trusted write (verified identify, API key, webhook)", () => {
  it("sets every value it sends and deletes every key it sends as null", () => {
    fc.assert(
      fc.property(stored, patch, (before, sent) => {
        const after = apply(before, planCustomData(before, sent, "trusted"));
        for (const [k, v] of Object.entries(sent)) {
          if (v === null) expect(after).not.toHaveProperty(k);
          else expect(after[k]).toBe(v);
        }
        for (const k of Object.keys(before)) if (!(k in sent)) expect(after[k]).toBe(before[k]);
      }),
    );
  });

  it("writes nothing for values already stored, unless it restates them (a webhook's timestamped fact)", () => {
    fc.assert(
      fc.property(stored, (before) => {
        expect(isEmptyPlan(planCustomData(before, before, "trusted"))).toBe(true);
        expect(planCustomData(before, before, "trusted", true).set).toEqual(before);
      }),
    );
  });

  it("deleting a key that is not there writes nothing", () => {
    expect(planCustomData({ plan: "pro" }, { seats: null }, "trusted")).toEqual({ set: {}, remove: [] });
  });
});

describe("an untrusted write (unsigned identify)", () => {
  it("only fills absent keys: never changes or deletes a stored value", () => {
    fc.assert(
      fc.property(stored, patch, (before, sent) => {
        const plan = planCustomData(before, sent, "untrusted");
        expect(plan.remove).toEqual([]);
        for (const k of Object.keys(plan.set)) expect(before).not.toHaveProperty(k);
        const after = apply(before, plan);
        for (const [k, v] of Object.entries(before)) expect(after[k]).toBe(v);
        for (const [k, v] of Object.entries(sent)) if (v !== null && !(k in before)) expect(after[k]).toBe(v);
      }),
    );
  });

  it("over any sequence of writes, never changes a value a trusted write set", () => {
    const write = fc.record({ trusted: fc.boolean(), sent: patch });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 12 }), (writes) => {
        let data: Stored = {};
        /** The last value a trusted write left on each key (undefined: it deleted the key). */
        const vouched = new Map<string, CustomValue | undefined>();
        for (const { trusted, sent } of writes) {
          data = apply(data, planCustomData(data, sent, trusted ? "trusted" : "untrusted"));
          if (trusted) for (const [k, v] of Object.entries(sent)) vouched.set(k, v ?? undefined);
          for (const [k, v] of vouched) if (v !== undefined) expect(data[k]).toBe(v);
        }
      }),
    );
  });
});

describe("a replace (PUT custom_data)", () => {
  it("leaves exactly the values it sent", () => {
    fc.assert(
      fc.property(stored, patch, (before, sent) => {
        const after = apply(before, planCustomData(before, sent, "replace"));
        expect(after).toEqual(Object.fromEntries(Object.entries(sent).filter(([, v]) => v !== null)));
      }),
    );
  });
});

describe("the key limits", () => {
  it(`refuses a trusted write that would take the contact past ${LIMITS.customDataKeys} keys, naming the keys over`, () => {
    const before = filled("k", LIMITS.customDataKeys - 1);
    expect(() => planCustomData(before, { a: 1 }, "trusted")).not.toThrow();
    let error: unknown;
    try {
      planCustomData(before, { a: 1, b: 2, c: 3 }, "trusted");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConvotError);
    expect((error as ConvotError).details?.map((d) => d.field)).toEqual(["custom_data.b", "custom_data.c"]);
  });

  it("counts what the same write removes", () => {
    const before = filled("k", LIMITS.customDataKeys);
    expect(() => planCustomData(before, { k0: null, a: 1 }, "trusted")).not.toThrow();
    expect(() => planCustomData(before, { a: 1 }, "trusted")).toThrow(ConvotError);
  });

  it(`lets an untrusted write fill only up to ${LIMITS.untrustedCustomDataKeys} keys`, () => {
    const before = filled("k", LIMITS.untrustedCustomDataKeys - 1);
    expect(() => planCustomData(before, { a: 1 }, "untrusted")).not.toThrow();
    expect(() => planCustomData(before, { a: 1, b: 2 }, "untrusted")).toThrow(/sign it \(user_hash\)/);
  });

  it("never refuses a write that adds no key, or a system write", () => {
    fc.assert(
      fc.property(fc.integer({ min: LIMITS.customDataKeys, max: LIMITS.customDataKeys + 20 }), mode, (count, m) => {
        const before = filled("k", count);
        expect(() => planCustomData(before, { k0: "changed", k1: null }, m === "replace" ? "trusted" : m)).not.toThrow();
        expect(() => planCustomData(before, { extra: 1 }, m, false, { enforceLimit: false })).not.toThrow();
      }),
    );
  });
});
