// Ids in console URLs: whole numbers an id column can hold; anything else is "not found".
import { isDatabaseId } from "../convot/validation";

export function parseConsoleId(raw: string | undefined): number {
  const id = Number(raw);
  if (!raw || !/^\d{1,10}$/.test(raw) || !isDatabaseId(id)) throw new Response("Not found", { status: 404 });
  return id;
}
