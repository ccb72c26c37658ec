// A time a payload gives beside its fact's own (a subscription's created_at): never after `at`.
export function payloadTime(value: unknown, at: Date): Date {
  if (typeof value !== "string") return at;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) || time > at ? at : time;
}
