import { describe, expect, it } from "vitest";
import { clientKey, TokenBuckets } from "../../app/http/rate-limit.server";

describe("rate-limit keys and buckets", () => {
  it("counts an IPv4 client by its address and an IPv6 client by its /64", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(clientKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:2:ffff::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:DB8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("2001::3:4:5:6:7")).toBe("2001:0:0:3::/64");
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("refills at the policy's rate and says how long to wait", () => {
    const buckets = new TokenBuckets();
    const limit = { perSecond: 0.5, burst: 2 };
    expect(buckets.take("k", limit, 0).ok).toBe(true);
    expect(buckets.take("k", limit, 0).ok).toBe(true);
    expect(buckets.take("k", limit, 0)).toEqual({ ok: false, retryAfter: 2 });
    expect(buckets.take("k", limit, 2000).ok).toBe(true);
  });
});
