// Ids in console URLs: whole numbers an id column can hold; anything else is "not found".
import { parsePathId } from "../contacts/validation";

export function parseConsoleId(raw: string | undefined): number {
  const id = parsePathId(raw);
  if (id === null) throw new Response("Not found", { status: 404 });
  return id;
}
