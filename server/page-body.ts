// The body limit for pages (Remix's forms), checked before Remix reads a body.
import type { NextFunction, Request, Response } from "express";
import { MAX_PAGE_BODY_BYTES } from "../app/http/request-body.ts";

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
  if (Number(length ?? 0) > MAX_PAGE_BODY_BYTES) {
    res.status(413).set("Connection", "close").send("Request body too large");
    req.resume();
    return;
  }
  next();
}
