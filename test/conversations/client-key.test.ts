import { describe, expect, it } from "vitest";
import { allowanceWindow, clientKey } from "../../app/http/rate-limit.server";

describe("rate-limit keys and windows", () => {
  it("counts an IPv4 client by its address and an IPv6 client by its /64", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(clientKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:2:ffff::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:DB8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("2001::3:4:5:6:7")).toBe("2001:0:0:3::/64");
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("gives each allowance its burst once per the time its rate takes to earn the burst back", () => {
    expect(allowanceWindow({ perSecond: 10, burst: 120 })).toEqual({ points: 120, duration: 12 });
    expect(allowanceWindow({ perSecond: 0.5, burst: 20 })).toEqual({ points: 20, duration: 40 });
    expect(allowanceWindow({ perSecond: 5000, burst: 10000 })).toEqual({ points: 10000, duration: 2 });
    expect(allowanceWindow({ perSecond: 100, burst: 150 })).toEqual({ points: 150, duration: 2 });
  });
});
