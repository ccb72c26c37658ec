// The body limit for pages (Remix's forms), checked before Remix reads a body.
import type { NextFunction, Request, Response } from "express";
import { MAX_PAGE_BODY_BYTES } from "../app/http/request-body.ts";

/** The largest refused body still read to its end (and dropped) rather than cut off. */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/**
 * Refuses a page request whose body is over MAX_PAGE_BODY_BYTES before Remix reads it (a 30 MB
 * form post to the login page was read whole). Browsers send a form's Content-Length; a body
 * without one (chunked) could be any size, so it is refused too (411).
 */
export function limitPageBody(req: Request, res: Response, next: NextFunction): void {
  const length = req.headers["content-length"];
  if (length === undefined && req.headers["transfer-encoding"]) {
    res.status(411).set("Connection", "close").send("Send the request body with a Content-Length");
    req.resume();
    return;
  }
  const announced = Number(length ?? 0);
  if (announced > MAX_PAGE_BODY_BYTES) {
    // A body of a few MB is read to its end and dropped, so the client finishes sending and
    // hears the 413 (closing at once makes its upload fail with a broken pipe instead of the
    // answer); past DRAIN_LIMIT, the connection closes rather than read that much.
    if (announced > DRAIN_LIMIT) res.set("Connection", "close");
    res.status(413).send("Request body too large");
    req.resume();
    return;
  }
  next();
}
