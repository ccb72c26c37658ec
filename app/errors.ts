// The failures the domain reports on purpose. Each carries one of Convot's error codes;
// the HTTP layer turns it into the error envelope and its status.
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "payload_too_large"
  | "unprocessable_entity"
  | "identity_verification_required"
  | "rate_limited";

export type ErrorDetail = { field: string; message: string };

export class ConvotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export const notFound = (what = "resource") => new ConvotError("not_found", `${what} not found`);

export function invalid(details: ErrorDetail[]): ConvotError {
  const first = details[0];
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : "";
  return new ConvotError("unprocessable_entity", `${first.field} ${first.message}${more}`, details);
}

/** Too many requests: try again after `retryAfterSeconds` (sent as Retry-After). */
export class RateLimitedError extends ConvotError {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super("rate_limited", `too many requests ${what}: retry after ${retryAfterSeconds} s`);
  }
}
