// Between node:http and the web's Request and Response: a body read up to a limit, the headers
// as sent, a Response written out, and the socket's peer.
import type http from "node:http";
import { RAW_BODY, type WithRawBody } from "../app/http/request-body.ts";

/** A body over its limit: answered 413 without reading the rest. */
export class BodyTooLargeError extends Error {
  readonly status = 413;
  constructor() {
    super("body too large");
  }
}

export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Answer 413 now; the rest of the upload is drained and dropped, not buffered.
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLargeError());
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The socket's peer, for rate limits: set by the server on every request, never taken from the client. */
export function peerOf(req: http.IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}

export function toHeaders(rawHeaders: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < rawHeaders.length; i += 2) headers.append(rawHeaders[i], rawHeaders[i + 1]);
  return headers;
}

/** Writes a Response out; a JSON answer made by the API's `json` is sent from its text, without reading its stream. */
export async function send(res: http.ServerResponse, response: Response, method: string): Promise<void> {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of response.headers) if (name !== "set-cookie") headers[name] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  const raw = response.bodyUsed ? undefined : (response as WithRawBody)[RAW_BODY];
  const body = method === "HEAD" || !response.body ? null : typeof raw === "string" ? raw : Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(body);
}
