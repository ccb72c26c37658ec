// When a webhook's fact happened: the payload's own timestamp, else Shopify's trigger time.
export function payloadTime(value: unknown, fallback: Date): Date {
  if (typeof value !== "string") return fallback;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? fallback : time;
}

export function occurredAt(record: Record<string, unknown> | undefined, fallback: Date): Date {
  return payloadTime(record?.updated_at ?? record?.created_at, fallback);
}
